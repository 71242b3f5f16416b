"""Matrix multiplication, batched and with NumPy's 1-D rules.

Backward: dA = dC @ Bᵀ, dB = Aᵀ @ dC, where ᵀ swaps the last two axes (a view,
so BLAS reads it transposed without a copy); batch dimensions that were
broadcast are summed back by ``unbroadcast``.
"""

from __future__ import annotations

from typing import Any

from graphlab.tensor.elementwise import constant_like
from graphlab.tensor.function import Function, unbroadcast
from graphlab.tensor.tensor import Tensor


class MatMul(Function):
    __slots__ = ("a", "b")
    saved = ("a", "b")
    name = "matmul"

    @property
    def label(self) -> str:
        return "@"

    def forward(self, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError("matmul: both operands need at least one dimension (use * for scalars)")
        self.a, self.b = a, b
        return self.xp.matmul(a, b)

    def backward(self, grad):
        xp, a, b = self.xp, self.a, self.b
        if a.ndim == 2 and b.ndim == 2:  # two matrices: no vectors to lift, no batch to sum back
            need_a, need_b = self.needs
            return (xp.matmul(grad, xp.matrix_transpose(b)) if need_a else None,
                    xp.matmul(xp.matrix_transpose(a), grad) if need_b else None)
        a2 = a if a.ndim > 1 else xp.reshape(a, (1, a.shape[0]))
        b2 = b if b.ndim > 1 else xp.reshape(b, (b.shape[0], 1))
        if a.ndim == 1 and b.ndim == 1:
            g2 = xp.reshape(grad, (1, 1))
        elif a.ndim == 1:
            g2 = xp.expand_dims(grad, axis=-2)
        elif b.ndim == 1:
            g2 = xp.expand_dims(grad, axis=-1)
        else:
            g2 = grad
        ga = gb = None
        if self.needs[0]:
            ga = unbroadcast(xp, xp.matmul(g2, xp.matrix_transpose(b2)), a2.shape)
            if a.ndim == 1:
                ga = xp.reshape(ga, a.shape)
        if self.needs[1]:
            gb = unbroadcast(xp, xp.matmul(xp.matrix_transpose(a2), g2), b2.shape)
            if b.ndim == 1:
                gb = xp.reshape(gb, b.shape)
        return ga, gb


def matmul(a: Any, b: Any) -> Tensor:
    """``a @ b`` (either side may be a NumPy array)."""
    if not isinstance(a, Tensor):
        a = constant_like(a, b)
    if not isinstance(b, Tensor):
        b = constant_like(b, a)
    if a.data.dtype != b.data.dtype:  # the arrays' own dtypes: one comparison, no name lookups
        raise TypeError(f"matmul: one side is {a.dtype} and the other {b.dtype}; convert one with .to() first "
                        "(as PyTorch, no silent promotion of a product of matrices)")
    return MatMul.apply(a, b)
