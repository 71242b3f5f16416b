"""Softmax, log-softmax and log-sum-exp along one dimension, numerically stable.

All three subtract the maximum before exponentiating, so large logits never
overflow. Their backward passes reuse the saved output:
softmax: s·(g − Σ g·s); log-softmax: g − softmax·Σ g; logsumexp: g·exp(x − out).
"""

from __future__ import annotations

import math
from typing import Any

from graphlab.tensor.function import Function
from graphlab.tensor.reduce import normalize_axes


class _AlongDim(Function):
    __slots__ = ("dim", "out")
    saved = ("out",)

    @property
    def params(self) -> dict[str, Any]:
        return {"dim": self.dim}

    def peak(self, x, dim):
        """``max(x)`` along ``dim``, kept as a size-1 axis (``x`` itself for a 0-d ``x``); sets ``self.dim``."""
        axes = normalize_axes(dim, x.ndim, self.name)
        if len(axes) > 1:
            raise TypeError(f"{self.name}: works along one dim, got dim={dim!r}")
        self.dim = axes[0] if axes else None
        return x if self.dim is None else self.xp.max(x, axis=self.dim, keepdims=True)

    def shifted(self, x, dim):
        """``x − max(x)`` along ``dim``, and the max."""
        peak = self.peak(x, dim)
        return x - peak, peak


class Softmax(_AlongDim):
    __slots__ = ()
    name = "softmax"

    def forward(self, x, dim=-1):
        xp = self.xp
        e = xp.exp(self.shifted(x, dim)[0])
        if self.dim is not None:
            e /= xp.sum(e, axis=self.dim, keepdims=True)
        else:
            e = e / e
        self.out = e
        return e

    def backward(self, grad):
        if self.dim is None:
            return (grad * 0.0,)
        s = self.out
        return (s * (grad - self.xp.sum(grad * s, axis=self.dim, keepdims=True)),)


class LogSoftmax(_AlongDim):
    __slots__ = ()
    name = "log_softmax"

    def forward(self, x, dim=-1):
        xp = self.xp
        z = self.shifted(x, dim)[0]
        if self.dim is not None:
            z = z - xp.log(xp.sum(xp.exp(z), axis=self.dim, keepdims=True))
        self.out = z
        return z

    def backward(self, grad):
        if self.dim is None:
            return (grad * 0.0,)
        xp = self.xp
        return (grad - xp.exp(self.out) * xp.sum(grad, axis=self.dim, keepdims=True),)


class LogSumExp(_AlongDim):
    __slots__ = ("keepdim", "x")
    saved = ("x", "out")
    name = "logsumexp"

    def forward(self, x, dim, keepdim=False):
        xp = self.xp
        peak = self.peak(x, dim)
        self.x, self.keepdim = x, keepdim
        if self.dim is None:
            self.out = x
            return x
        # A row of −inf (or one holding +inf) has no finite peak to shift by: shift by 0 there,
        # so the result is −inf (or +inf) as in PyTorch, not inf − inf = NaN.
        peak = xp.where(xp.isfinite(peak), peak, 0.0)
        total = xp.sum(xp.exp(x - peak), axis=self.dim, keepdims=True)
        empty = total == 0.0  # a row of −inf: its log is −inf, taken here without NumPy's divide-by-zero warning
        self.out = xp.where(empty, -math.inf, peak + xp.log(xp.where(empty, 1.0, total)))
        return self.out if keepdim else xp.squeeze(self.out, axis=self.dim)

    def backward(self, grad):
        xp = self.xp
        if self.dim is None:
            return (grad,)
        if not self.keepdim:
            grad = xp.expand_dims(grad, axis=self.dim)
        return (grad * xp.exp(self.x - self.out),)
