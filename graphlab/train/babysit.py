"""Babysitting the learning process, as the lecture does before any long run.

1. The initial loss of a softmax classifier with small random weights is about
   ``ln C`` (every class equally likely); adding regularisation must raise it.
2. A network that cannot overfit 20 examples to 100 % training accuracy has a
   bug or a learning rate far off; one that can is worth training on everything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import pairwise

from graphlab.nn import functional as F
from graphlab.tensor import Tensor, no_grad
from graphlab.train.loop import accuracy, default_loss


def l2_penalty(model) -> Tensor:
    """``Σ w²`` over the weight matrices and kernels (parameters with 2 or more dimensions; biases are left out)."""
    weights = [p for p in model.parameters() if p.ndim > 1]
    if not weights:
        raise ValueError(f"l2_penalty: {type(model).__name__} has no weight matrix or kernel (a parameter with "
                         f"2 or more dimensions) to penalise; pass penalty=None or a penalty of your own")
    return F.l2_penalty(weights)


@dataclass
class InitialLossCheck:
    """The loss with regularisation off, ``ln C`` it should be near, and the loss at each strength."""

    expected: float
    losses: dict[float, float]
    tolerance: float

    @property
    def loss(self) -> float:
        return self.losses[0.0]

    @property
    def near_chance(self) -> bool:
        return abs(self.loss - self.expected) <= self.tolerance

    @property
    def rises_with_regularization(self) -> bool:
        values = [self.losses[s] for s in sorted(self.losses)]
        return all(a < b for a, b in pairwise(values))

    def __str__(self) -> str:
        verdict = "ok" if self.near_chance else "CHECK the output layer's initialisation and the loss"
        lines = [f"initial loss {self.loss:.4f}, ln C = {self.expected:.4f}: {verdict}"]
        lines += [f"  regularisation {s:g}: loss {v:.4f}" for s, v in sorted(self.losses.items()) if s]
        if len(self.losses) > 1 and not self.rises_with_regularization:
            lines.append("  the loss does not rise with regularisation: is the penalty added?")
        return "\n".join(lines)


def check_initial_loss(model, x, y, num_classes: int, loss_fn=None, penalty=l2_penalty,
                       strengths=(0.0, 1e-2, 1e-1, 1.0), tolerance: float = 0.25) -> InitialLossCheck:
    """Loss of the untrained ``model`` on ``(x, y)`` for each regularisation strength (eval mode, no graph).

    ``penalty=None`` checks the data loss alone (a model without weight matrices).
    """
    loss_fn = loss_fn or default_loss()
    was_training = getattr(model, "training", True)
    model.eval()
    losses = {}
    try:
        with no_grad():
            data_loss = loss_fn(model(x), y).item()
            size = 0.0 if penalty is None else penalty(model).item()
    finally:
        model.train(was_training)
    for strength in sorted({0.0} if penalty is None else set(strengths) | {0.0}):
        losses[float(strength)] = data_loss + strength * size
    return InitialLossCheck(math.log(num_classes), losses, tolerance)


@dataclass
class OverfitResult:
    """How a run on a tiny subset went: reached 100 % training accuracy, and after how many steps."""

    succeeded: bool
    steps: int
    accuracy: float
    losses: list[float] = field(default_factory=list)

    def __str__(self) -> str:
        last = self.losses[-1] if self.losses else float("nan")
        if self.succeeded:
            return f"overfit {self.accuracy:.0%} of the subset in {self.steps} steps (loss {last:.4f})"
        return (f"could not overfit the subset: {self.accuracy:.0%} after {self.steps} steps "
                f"(loss {last:.4f}); check the model, the loss and the learning rate")


def overfit_small_subset(model, optimizer, x, y, count: int = 20, max_steps: int = 500,
                         target_loss: float = 0.05, loss_fn=None) -> OverfitResult:
    """Train on the first ``count`` examples (full batch, no regularisation) until 100 % accuracy and a small loss."""
    loss_fn = loss_fn or default_loss()
    x, y = x[:count], y[:count]
    model.train()
    losses, correct = [], 0.0
    for step in range(1, max_steps + 1):
        logits = model(x)
        loss = loss_fn(logits, y)
        losses.append(loss.item())
        correct = accuracy(logits, y)
        if correct == 1.0 and losses[-1] <= target_loss:
            return OverfitResult(True, step - 1, correct, losses)
        if not math.isfinite(losses[-1]):
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return OverfitResult(False, len(losses), correct, losses)
