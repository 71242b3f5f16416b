"""The learning-rate range test (Smith 2017): raise the rate exponentially each step and watch the loss.

Too small a rate barely moves the loss; a good one makes it fall fastest; too
large a one makes it explode. One short run from ``start_lr`` to ``end_lr``
finds all three. The model's weights and mode and the optimizer's state (rates,
momentum and Adam buffers) are restored afterwards, so training can start from
where it was.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy

from graphlab.tensor import Tensor
from graphlab.train.loop import default_loss
from graphlab.train.snapshot import host_copy


@dataclass
class RangeTestResult:
    """Rates tried, the smoothed loss at each, where it fell fastest and where it exploded (``None``: it did not)."""

    lrs: list[float]
    losses: list[float]
    steepest_lr: float
    explode_lr: float | None

    def __str__(self) -> str:
        exploded = (f"the loss explodes at {self.explode_lr:.3g}" if self.explode_lr is not None
                    else f"no explosion up to {self.lrs[-1]:.3g}")
        return f"loss falls fastest at lr {self.steepest_lr:.3g}; {exploded}"


def lr_range_test(model, loss_fn, loader, optimizer=None, start_lr: float = 1e-6, end_lr: float = 10.0,
                  num_iters: int = 100, smoothing: float = 0.9, diverge: float = 4.0) -> RangeTestResult:
    """Sweep the rate from ``start_lr`` to ``end_lr`` over ``num_iters`` steps (cycling ``loader``).

    The loss is smoothed (exponential average, bias-corrected); the sweep stops when
    it exceeds ``diverge`` times the best so far or is no longer finite. Without an
    ``optimizer``, plain SGD is used.
    """
    if not 0 < start_lr < end_lr:
        raise ValueError(f"lr_range_test: start_lr={start_lr}, end_lr={end_lr}; expected 0 < start_lr < end_lr")
    if num_iters < 3:
        raise ValueError(f"lr_range_test: num_iters={num_iters}; expected at least 3")
    loss_fn = loss_fn or default_loss()
    if optimizer is None:
        from graphlab.optim import SGD  # lazy: optim loads only when no optimizer is given

        optimizer = SGD(model.parameters(), lr=start_lr)
    saved = {name: Tensor(value) for name, value in model.state_dict().items()}
    saved_optimizer = host_copy(optimizer.state_dict())
    was_training = getattr(model, "training", True)
    ratio = (end_lr / start_lr) ** (1 / (num_iters - 1))
    lrs, losses = [], []
    average, best, explode_lr = 0.0, math.inf, None
    batches = _cycle(loader)
    model.train()
    try:
        for i in range(num_iters):
            lr = start_lr * ratio ** i
            for group in optimizer.param_groups:
                group["lr"] = lr
            x, y = next(batches)
            loss = loss_fn(model(x), y)
            value = loss.item()
            average = smoothing * average + (1 - smoothing) * value
            smoothed = average / (1 - smoothing ** (i + 1))
            if not math.isfinite(smoothed) or smoothed > diverge * best:
                explode_lr = lr
                break
            lrs.append(lr)
            losses.append(smoothed)
            best = min(best, smoothed)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    finally:
        model.load_state_dict(saved)
        optimizer.load_state_dict(saved_optimizer)
        model.train(was_training)
    if not lrs:
        raise ValueError(f"lr_range_test: the loss is not finite at start_lr={start_lr:g}; "
                         f"check the model's initialisation and the data before sweeping rates")
    return RangeTestResult(lrs, losses, lrs[_steepest(losses, lrs)], explode_lr)


def _steepest(losses: list[float], lrs: list[float]) -> int:
    """Index of the most negative slope of loss against log(rate), skipping the first tenth of the
    sweep, where the running average still rests on a handful of batches."""
    if len(losses) < 3:
        return 0
    slope = numpy.gradient(numpy.asarray(losses), numpy.log(lrs))
    skip = len(losses) // 10
    return skip + int(numpy.argmin(slope[skip:]))


def _cycle(loader):
    while True:
        yielded = False
        for batch in loader:
            yielded = True
            yield batch
        if not yielded:
            raise ValueError("lr_range_test: the loader yields no batches")
