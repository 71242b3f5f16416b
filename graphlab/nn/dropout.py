"""``Dropout``: inverted dropout, active only in training mode."""

from __future__ import annotations

from graphlab.nn import functional as F
from graphlab.nn.module import Module
from graphlab.tensor import Generator, Tensor

__all__ = ["Dropout"]


class Dropout(Module):
    """Zero each value with probability ``p`` and scale the survivors by 1/(1−p) in training; identity in eval.

    Scaling at training time (the "inverted" form) means evaluation needs no
    change: the expected value of every activation is the same in both modes.
    """

    def __init__(self, p: float = 0.5, generator: Generator | None = None) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p must be a probability in [0, 1], got {p}")
        self.p, self.generator = p, generator

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout(x, self.p, self.training, self.generator)

    def extra_repr(self) -> str:
        return f"p={self.p}"
