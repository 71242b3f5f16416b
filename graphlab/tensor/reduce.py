"""Reductions over axes: sum, mean, max/min, prod, var/std, and the argmax/argmin helpers.

Each backward reshapes the output gradient to the kept-dimensions shape and
broadcasts it back over the reduced axes (a view, no copy). ``max``/``min``
split the gradient evenly among tied maxima, as PyTorch's ``amax`` does.
"""

from __future__ import annotations

from typing import Any

from graphlab.tensor.function import Function
from graphlab.tensor.tensor import MinMax, Tensor, new_tensor


def normalize_axes(dim: Any, ndim: int, where: str) -> tuple[int, ...]:
    """``dim`` (None, an int or a tuple, negatives allowed) as sorted non-negative axes."""
    if dim is None:
        return tuple(range(ndim))
    if dim.__class__ is int and -ndim <= dim < ndim:  # the common case, without the set
        return (dim % ndim,)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    axes = set()
    for d in dims:
        if ndim == 0 and d in (0, -1):
            continue
        if not -ndim <= d < ndim:
            raise IndexError(f"{where}: dimension {d} is out of range for a {ndim}-d tensor")
        if d % ndim in axes:
            raise ValueError(f"{where}: dimension {d % ndim} appears more than once in dim={dim!r}")
        axes.add(d % ndim)
    return tuple(sorted(axes))


def one_axis(dim: int, ndim: int, where: str) -> int:
    """``dim`` (negatives allowed) as the one non-negative axis an op works along."""
    if ndim == 0:
        raise ValueError(f"{where}: a 0-d tensor has no dimension to work along")
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(f"{where}: dim must be one int, got {dim!r}")
    return normalize_axes(dim, ndim, where)[0]


class Reduction(Function):
    """Shared bookkeeping: the input shape, the reduced axes, and ``keepdim``."""

    __slots__ = ("axes", "keepdim", "shape")

    @property
    def params(self) -> dict[str, Any]:
        return {"dim": self.axes, "keepdim": self.keepdim}

    def setup(self, x, dim, keepdim) -> tuple[int, ...]:
        self.shape = tuple(x.shape)
        self.axes = normalize_axes(dim, x.ndim, self.name)
        self.keepdim = keepdim
        return self.axes

    def count(self) -> int:
        n = 1
        for a in self.axes:
            n *= self.shape[a]
        return n

    def kept(self, grad):
        """``grad`` with the reduced axes back as size-1 dimensions (a 0-d gradient broadcasts as it is)."""
        if self.keepdim or grad.ndim == 0:
            return grad
        return self.xp.reshape(grad, tuple(1 if i in self.axes else n for i, n in enumerate(self.shape)))

    def spread(self, grad):
        """``grad`` broadcast back over the reduced axes (a read-only view)."""
        return self.xp.broadcast_to(self.kept(grad), self.shape)


class Sum(Reduction):
    __slots__ = ()
    name = "sum"

    def forward(self, x, dim=None, keepdim=False):
        return self.xp.sum(x, axis=self.setup(x, dim, keepdim), keepdims=keepdim)

    def backward(self, grad):
        return (self.spread(grad),)


class Mean(Reduction):
    __slots__ = ()
    name = "mean"

    def forward(self, x, dim=None, keepdim=False):
        axes = self.setup(x, dim, keepdim)
        return self.xp.sum(x, axis=axes, keepdims=keepdim) / float(self.count() or float("nan"))

    def backward(self, grad):
        return (self.spread(grad / float(self.count() or float("nan"))),)


class Max(Reduction):
    __slots__ = ("out", "x")
    saved = ("x", "out")
    name = "max"
    pick = "max"

    def forward(self, x, dim=None, keepdim=False):
        axes = self.setup(x, dim, keepdim)
        if 0 in x.shape and any(x.shape[a] == 0 for a in axes):
            raise IndexError(f"{self.name}: cannot reduce over an empty dimension of shape {tuple(x.shape)}")
        out = getattr(self.xp, self.pick)(x, axis=axes, keepdims=keepdim)
        self.x, self.out = x, out
        return out

    def backward(self, grad):
        xp = self.xp
        winners = xp.astype(self.x == self.kept(self.out), grad.dtype)
        share = self.kept(grad) / xp.sum(winners, axis=self.axes, keepdims=True)
        return (winners * share,)


class Min(Max):
    __slots__ = ()
    name = "min"
    pick = "min"


class MaxAlong(Max):
    """``max(dim)``: as PyTorch, the gradient goes to the index it returns (the first maximum), not split."""

    __slots__ = ()

    def backward(self, grad):
        xp, axis = self.xp, self.axes[0]
        first = xp.argmax(self.x, axis=axis, keepdims=True) if self.pick == "max" else \
            xp.argmin(self.x, axis=axis, keepdims=True)
        positions = xp.reshape(xp.arange(self.shape[axis]), tuple(-1 if i == axis else 1 for i in range(len(self.shape))))
        return (xp.astype(positions == first, grad.dtype) * self.kept(grad),)


class MinAlong(MaxAlong):
    __slots__ = ()
    name = "min"
    pick = "min"


class Prod(Reduction):
    """Product; its gradient is the product of the other factors (exact with zeros, no division)."""

    __slots__ = ("x",)
    saved = ("x",)
    name = "prod"

    def forward(self, x, dim=None, keepdim=False):
        self.x = x
        return self.xp.prod(x, axis=self.setup(x, dim, keepdim), keepdims=keepdim)

    def backward(self, grad):
        xp, x, axes = self.xp, self.x, self.axes
        kept_axes = tuple(i for i in range(x.ndim) if i not in axes)
        order = kept_axes + axes
        moved = xp.permute_dims(x, order)
        n = self.count()
        flat = xp.reshape(moved, tuple(moved.shape[:len(kept_axes)]) + (n,))
        if n == 0:
            return (xp.zeros(self.shape, dtype=x.dtype),)
        ones = xp.ones(tuple(flat.shape[:-1]) + (1,), dtype=x.dtype)
        before = xp.concat([ones, xp.cumulative_prod(flat[..., :-1], axis=-1)], axis=-1)
        reversed_tail = xp.flip(flat, axis=-1)[..., :-1]
        after = xp.flip(xp.concat([ones, xp.cumulative_prod(reversed_tail, axis=-1)], axis=-1), axis=-1)
        others = xp.reshape(before * after, moved.shape)
        inverse = tuple(order.index(i) for i in range(x.ndim))
        return (xp.permute_dims(others, inverse) * self.kept(grad),)


class Var(Reduction):
    """Variance with ``correction`` (1: the unbiased estimate, PyTorch's default)."""

    __slots__ = ("centered", "denominator")
    saved = ("centered",)
    name = "var"

    def forward(self, x, dim=None, correction=1, keepdim=False):
        xp = self.xp
        axes = self.setup(x, dim, keepdim)
        n = self.count()
        self.centered = x - xp.sum(x, axis=axes, keepdims=True) / float(n or float("nan"))
        self.denominator = float(max(n - correction, 0)) or float("nan")
        return xp.sum(self.centered * self.centered, axis=axes, keepdims=keepdim) / self.denominator

    def backward(self, grad):
        return (self.spread(grad) * self.centered * (2.0 / self.denominator),)


class Std(Var):
    __slots__ = ("out",)
    saved = ("centered", "out")
    name = "std"

    def forward(self, x, dim=None, correction=1, keepdim=False):
        self.out = self.xp.sqrt(super().forward(x, dim, correction, keepdim))
        return self.out

    def backward(self, grad):
        return (self.spread(grad / self.out) * self.centered * (1.0 / self.denominator),)


def of_floats(kind: type[Reduction], x: Tensor, **params: Any) -> Tensor:
    """``kind`` (mean, var, std) of a float tensor; as in PyTorch, one of integers or booleans is refused."""
    if x.dtype not in ("float32", "float64"):
        raise TypeError(f"{kind.name}(): needs a float tensor, got {x.dtype}; convert it first with .float()")
    return kind.apply(x, **params)


def extreme(x: Tensor, kind: type[Max], dim: int | None, keepdim: bool):
    """``max()`` / ``min()`` as PyTorch: a tensor for the whole input, ``(values, indices)`` along ``dim``."""
    if dim is None:
        return kind.apply(x, dim=None, keepdim=False)
    if not isinstance(dim, int):
        raise TypeError(f"{kind.name}(dim): dim must be one int (use amax/amin for several), got {dim!r}")
    along = MaxAlong if kind.pick == "max" else MinAlong
    values = along.apply(x, dim=dim, keepdim=keepdim)
    return MinMax(values, argextreme(x, "arg" + kind.pick, dim, keepdim))


def argextreme(x: Tensor, which: str, dim: int | None, keepdim: bool) -> Tensor:
    """Indices of the maxima/minima (int64, outside the graph)."""
    xp = x._backend.xp
    if dim is None:
        return new_tensor(getattr(xp, which)(xp.reshape(x.data, (-1,))), x._backend)
    axis = normalize_axes(dim, x.ndim, which)
    return new_tensor(getattr(xp, which)(x.data, axis=axis[0] if axis else None, keepdims=keepdim), x._backend)
