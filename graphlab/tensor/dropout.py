"""Inverted dropout as an op whose mask is recorded on its node.

At training time each element is kept with probability 1 − p and scaled by
1/(1 − p), so the expected output equals the input and evaluation needs no
rescaling: at evaluation (``training=False``) dropout is the identity. The node
keeps the boolean ``mask`` (True = kept) it drew, so a trace or a student can
see which units were dropped, and the backward pass routes the gradient
through the same units with the same scale.
"""

from __future__ import annotations

from typing import Any

from graphlab.tensor.creation import Generator, rand
from graphlab.tensor.function import Function
from graphlab.tensor.tensor import Tensor


class Dropout(Function):
    __slots__ = ("mask", "p", "scale")
    saved = ("mask",)
    name = "dropout"

    @property
    def label(self) -> str:
        return f"dropout({self.p:g})"

    @property
    def params(self) -> dict[str, Any]:
        return {"p": self.p}

    def forward(self, x, p, mask):
        self.p, self.mask = p, mask
        self.scale = 1.0 / (1.0 - p) if p < 1.0 else 0.0
        return self.xp.where(mask, x * self.scale, 0.0)

    def backward(self, grad):
        return (self.xp.where(self.mask, grad * self.scale, 0.0),)


def dropout(x: Tensor, p: float = 0.5, training: bool = True, generator: Generator | None = None) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by 1/(1 − p); ``x`` itself at evaluation."""
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p must be a probability between 0 and 1, got {p!r}")
    if not training or p == 0.0:
        return x
    if x.dtype not in ("float32", "float64"):
        raise TypeError(f"dropout: input must be float32 or float64, got {x.dtype}")
    keep = rand(x.shape, dtype=x.dtype, generator=generator, device=x._backend).data >= p
    return Dropout.apply(x, p=float(p), mask=keep)
