"""``fit``: the training loop of the lecture, with a progress bar, a history and a guard against divergence.

One epoch: for each batch, forward, loss, ``zero_grad``, ``backward``, ``step``;
then evaluate on the validation set, keep the best checkpoint, and step the
schedule. The loss is read every step, so a NaN or an infinity stops training at
the step where it appears, with a message that names the step and the rate.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy

from graphlab.tensor import no_grad
from graphlab.train.checkpoint import save_checkpoint
from graphlab.train.progress import TrainingProgress


@dataclass
class History:
    """What happened: one dict of metrics per epoch, the loss of every step, and why training stopped early."""

    epochs: list[dict] = field(default_factory=list)
    step_losses: list[float] = field(default_factory=list)
    best: dict | None = None
    stopped: str | None = None

    def __getitem__(self, metric: str) -> list:
        """``history["val_acc"]``: that metric over the epochs."""
        return [epoch.get(metric) for epoch in self.epochs]


def default_loss():
    from graphlab.nn.functional import cross_entropy  # lazy: nn loads only when the default loss is asked for

    return cross_entropy


def accuracy(logits, targets) -> float:
    """Fraction of rows whose largest logit is the target class (NaN when targets are not class indices)."""
    if targets.dtype != "int64" or logits.ndim != 2:
        return math.nan
    return float((numpy.argmax(logits.numpy(), axis=1) == targets.numpy()).mean())


def evaluate(model, loader, loss_fn=None) -> dict:
    """Mean loss and accuracy over ``loader`` in eval mode, without recording a graph."""
    loss_fn = loss_fn or default_loss()
    was_training = getattr(model, "training", True)
    model.eval()
    total_loss = total_correct = count = 0.0
    try:
        with no_grad():
            for x, y in loader:
                logits = model(x)
                n = len(y)
                total_loss += loss_fn(logits, y).item() * n
                total_correct += accuracy(logits, y) * n
                count += n
    finally:
        model.train(was_training)
    if not count:
        raise ValueError("evaluate: the loader yields no examples; expected at least one batch")
    return {"loss": total_loss / count, "acc": total_correct / count}


def fit(model, optimizer, train_loader, val_loader=None, epochs: int = 10, scheduler=None,
        loss_fn=None, penalty=None, schedule_per: str = "epoch", checkpoint: str | Path | None = None,
        monitor: str = "val_acc", progress: bool = True, console=None) -> History:
    """Train ``model`` and return its ``History``.

    ``penalty(model)`` is added to the data loss (L2, L1…); ``scheduler.step()`` runs
    after every epoch or, with ``schedule_per="step"``, after every optimizer step.
    With ``checkpoint`` the model and optimizer of the best epoch (by ``monitor``:
    ``val_acc`` or ``val_loss``, ``train_loss`` without a validation set) are saved there.
    If the loss becomes NaN or infinite, training stops, ``history.stopped`` says
    where and why, and the message is printed.
    """
    if schedule_per not in ("epoch", "step"):
        raise ValueError(f"fit: schedule_per={schedule_per!r}; expected 'epoch' or 'step'")
    loss_fn = loss_fn or default_loss()
    if val_loader is None and monitor.startswith("val_"):
        monitor = "train_loss"
    history = History()
    step = 0
    with TrainingProgress(epochs, len(train_loader), enabled=progress, console=console) as bar:
        for epoch in range(1, epochs + 1):
            model.train()
            started = time.perf_counter()
            bar.start_epoch(epoch)
            total_loss = total_correct = count = 0.0
            for x, y in train_loader:
                step += 1
                logits = model(x)
                loss = loss_fn(logits, y)
                if penalty is not None:
                    loss = loss + penalty(model)
                value = loss.item()
                if not math.isfinite(value):
                    history.stopped = _diverged_message(value, step, optimizer)
                    bar.fail(history.stopped)
                    return history
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                if scheduler is not None and schedule_per == "step":
                    scheduler.step()
                n = len(y)
                history.step_losses.append(value)
                total_loss += value * n
                total_correct += accuracy(logits, y) * n
                count += n
                bar.advance(total_loss / count, total_correct / count, _lr(optimizer))
            metrics = {"epoch": epoch, "train_loss": total_loss / count, "train_acc": total_correct / count,
                       "lr": _lr(optimizer), "seconds": time.perf_counter() - started}
            if val_loader is not None:
                scores = evaluate(model, val_loader, loss_fn)
                metrics.update(val_loss=scores["loss"], val_acc=scores["acc"])
            if scheduler is not None and schedule_per == "epoch":
                scheduler.step()
            history.epochs.append(metrics)
            improved = _improved(metrics, history.best, monitor)
            if improved:
                history.best = metrics
                if checkpoint is not None:
                    save_checkpoint(checkpoint, model, optimizer, **metrics)
            bar.end_epoch(metrics, improved and (val_loader is not None or checkpoint is not None))
    return history


def _lr(optimizer) -> float:
    return optimizer.param_groups[0]["lr"]


def _improved(metrics: dict, best: dict | None, monitor: str) -> bool:
    if monitor not in metrics:
        raise ValueError(f"fit: monitor={monitor!r} is not one of the metrics {sorted(metrics)}")
    if best is None:
        return True
    higher_is_better = monitor.endswith("acc")
    return metrics[monitor] > best[monitor] if higher_is_better else metrics[monitor] < best[monitor]


def _diverged_message(value: float, step: int, optimizer) -> str:
    what = "NaN" if math.isnan(value) else "infinite"
    return (f"loss became {what} at step {step}; the learning rate {_lr(optimizer):g} "
            f"is probably too high")
