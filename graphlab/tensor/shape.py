"""Shape ops: reshape/view/flatten/squeeze/unsqueeze, permute/transpose, expand, cat/stack/split, pad, where, to.

Each backward undoes its forward's rearrangement on the gradient: reshape back,
apply the inverse permutation, sum the expanded axes (``unbroadcast``), slice
the concatenated pieces apart.

Reshape (where the array allows it), permute and expand give views, as in
PyTorch: the result shares the tensor's storage and version counter, so an
in-place change of one is a change of the other (``inplace.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphlab.ops import DtypeClass
from graphlab.tensor.elementwise import constant_like
from graphlab.tensor.function import Function, guard, record, unbroadcast
from graphlab.tensor.promotion import result_dtype
from graphlab.tensor.reduce import normalize_axes, one_axis
from graphlab.tensor.tensor import Tensor, as_view


def _shape_arg(shape: Sequence) -> tuple[int, ...]:
    """``reshape(2, 3)`` and ``reshape((2, 3))`` both mean (2, 3)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(int(n) for n in shape)


class Reshape(Function):
    __slots__ = ("new_shape", "shape")
    name = "reshape"

    @property
    def params(self) -> dict[str, Any]:
        return {"shape": self.new_shape}

    def forward(self, x, shape):
        self.shape = tuple(x.shape)
        try:
            out = self.xp.reshape(x, shape)
        except ValueError:
            raise ValueError(f"reshape: cannot view shape {self.shape} as {shape}") from None
        self.new_shape = tuple(out.shape)
        return out

    def backward(self, grad):
        return (self.xp.reshape(grad, self.shape),)


class Permute(Function):
    __slots__ = ("dims",)
    name = "permute"

    @property
    def params(self) -> dict[str, Any]:
        return {"dims": self.dims}

    def forward(self, x, dims):
        self.dims = dims
        return self.xp.permute_dims(x, dims)

    def backward(self, grad):
        inverse = tuple(self.dims.index(i) for i in range(len(self.dims)))
        return (self.xp.permute_dims(grad, inverse),)


class Expand(Function):
    __slots__ = ("shape",)
    name = "expand"

    def forward(self, x, shape):
        self.shape = tuple(x.shape)
        return self.xp.broadcast_to(x, shape)

    def backward(self, grad):
        return (unbroadcast(self.xp, grad, self.shape),)


class Cat(Function):
    __slots__ = ("dim", "sizes")
    name = "cat"

    @property
    def params(self) -> dict[str, Any]:
        return {"dim": self.dim}

    def forward(self, *arrays, dim=0):
        self.dim = dim
        self.sizes = [a.shape[dim] for a in arrays]
        return self.xp.concat(arrays, axis=dim)

    def backward(self, grad):
        grads, start = [], 0
        lead = (slice(None),) * self.dim
        for size, need in zip(self.sizes, self.needs):
            grads.append(grad[lead + (slice(start, start + size), Ellipsis)] if need else None)
            start += size
        return grads


class Stack(Function):
    __slots__ = ("count", "dim")
    name = "stack"

    @property
    def params(self) -> dict[str, Any]:
        return {"dim": self.dim}

    def forward(self, *arrays, dim=0):
        self.dim, self.count = dim, len(arrays)
        return self.xp.stack(arrays, axis=dim)

    def backward(self, grad):
        lead = (slice(None),) * self.dim
        return [grad[lead + (i, Ellipsis)] if need else None for i, need in enumerate(self.needs)]


class Pad(Function):
    """Constant padding, with PyTorch's ``F.pad`` spelling: (left, right) pairs from the last dim."""

    __slots__ = ("inner",)
    name = "pad"

    def forward(self, x, widths, value):
        xp = self.xp
        shape = list(x.shape)
        inner = [slice(None)] * x.ndim
        for i in range(len(widths) // 2):
            axis = x.ndim - 1 - i
            before, after = widths[2 * i], widths[2 * i + 1]
            shape[axis] += before + after
            inner[axis] = slice(before, before + x.shape[axis])
        self.inner = tuple(inner)
        out = xp.full(tuple(shape), value, dtype=x.dtype)
        out[self.inner] = x
        return out

    def backward(self, grad):
        return (grad[self.inner],)


class Where(Function):
    __slots__ = ("a_shape", "b_shape", "condition", "guards")
    saved = ("condition",)
    name = "where"

    def forward(self, a, b, condition):
        self.guards = ()  # ``guard`` fills it where a tensor besides the inputs is read
        self.condition, self.a_shape, self.b_shape = condition, a.shape, b.shape
        return self.xp.where(condition, a, b)

    def backward(self, grad):
        xp, condition = self.xp, self.condition
        ga = unbroadcast(xp, xp.where(condition, grad, 0.0), self.a_shape) if self.needs[0] else None
        gb = unbroadcast(xp, xp.where(condition, 0.0, grad), self.b_shape) if self.needs[1] else None
        return ga, gb


class Convert(Function):
    """A move to another device and/or dtype; the gradient moves back."""

    __slots__ = ("source", "source_dtype", "target")
    name = "to"

    @property
    def params(self) -> dict[str, Any]:
        return {"device": self.target.name}

    def backward(self, grad):
        if self.target is not self.source:
            grad = self.source.from_host(self.target.to_host(grad))
        return (self.source.xp.astype(grad, self.source_dtype),)


# -- the functions the Tensor methods call -------------------------------------------

def reshape(x: Tensor, shape: Sequence) -> Tensor:
    """``x`` in another shape: a view where the array allows one (as PyTorch's), else a copy."""
    shape = _shape_arg(shape)
    out = Reshape.apply(x, shape=shape)
    xp = x._backend.xp
    if out.data.size and xp.may_share_memory(out.data, x.data):
        shape = out.shape
        return as_view(out, x, lambda array: xp.reshape(array, shape))
    return out


def view(x: Tensor, shape: Sequence) -> Tensor:
    """``reshape``, but always a view: PyTorch's ``view`` refuses a shape the strides cannot give."""
    out = reshape(x, shape)
    if out.data.size and out._view is None:
        raise RuntimeError(f"view: shape {x.shape} cannot be viewed as {out.shape} without a copy (the tensor "
                           "is not contiguous, e.g. a transpose); use .reshape(...) instead")
    return out


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    if x.ndim == 0:
        return reshape(x, (1,))
    start, end = (one_axis(d, x.ndim, "flatten") for d in (start_dim, end_dim))
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    shape = x.shape
    middle = 1
    for n in shape[start:end + 1]:
        middle *= n
    return reshape(x, shape[:start] + (middle,) + shape[end + 1:])


def permute(x: Tensor, dims: Sequence) -> Tensor:
    dims = _shape_arg(dims)
    axes = tuple(one_axis(d, x.ndim, "permute") for d in dims) if x.ndim else ()
    if sorted(axes) != list(range(x.ndim)):
        raise ValueError(f"permute: {dims} is not a permutation of the {x.ndim} dimensions")
    return _permuted(x, axes)


def _permuted(x: Tensor, axes: tuple[int, ...]) -> Tensor:
    permute_dims = x._backend.xp.permute_dims
    return as_view(Permute.apply(x, dims=axes), x, lambda array: permute_dims(array, axes))


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    if x.ndim < 2:
        return x
    a, b = (one_axis(d, x.ndim, "transpose") for d in (dim0, dim1))
    dims = list(range(x.ndim))
    dims[a], dims[b] = dims[b], dims[a]
    return _permuted(x, tuple(dims))


def squeeze(x: Tensor, dim: Any = None) -> Tensor:
    axes = normalize_axes(dim, x.ndim, "squeeze")
    return reshape(x, tuple(n for i, n in enumerate(x.shape) if not (i in axes and n == 1)))


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    if not -x.ndim - 1 <= dim <= x.ndim:
        raise IndexError(f"unsqueeze: dimension {dim} is out of range for a {x.ndim}-d tensor")
    dim = dim % (x.ndim + 1)
    shape = x.shape
    return reshape(x, shape[:dim] + (1,) + shape[dim:])


def expand(x: Tensor, sizes: Sequence) -> Tensor:
    sizes = _shape_arg(sizes)
    lead = len(sizes) - x.ndim
    if lead < 0:
        raise ValueError(f"expand: {sizes} has fewer dimensions than the tensor's {x.shape}")
    shape = tuple(x.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(sizes))
    broadcast_to = x._backend.xp.broadcast_to
    return as_view(Expand.apply(x, shape=shape), x, lambda array: broadcast_to(array, shape))


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension."""
    tensors = tuple(tensors)
    if not tensors:
        raise ValueError("cat: needs at least one tensor")
    dim = one_axis(dim, tensors[0].ndim, "cat")
    return Cat.apply(*common_dtype("cat", tensors), dim=dim)


concatenate = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along a new dimension."""
    tensors = tuple(tensors)
    if not tensors:
        raise ValueError("stack: needs at least one tensor")
    ndim = tensors[0].ndim + 1
    if not -ndim <= dim < ndim:
        raise IndexError(f"stack: dimension {dim} is out of range for {ndim}-d output")
    return Stack.apply(*common_dtype("stack", tensors), dim=dim % ndim)


def common_dtype(op: str, tensors: tuple[Tensor, ...]) -> tuple[Tensor, ...]:
    """``tensors`` in the one dtype PyTorch joins them in (int64 with float32 is float32, not float64)."""
    if len({t.dtype for t in tensors}) == 1:
        return tensors
    target = result_dtype(tensors[0]._backend, op, DtypeClass.INTEGER, tuple(t.data for t in tensors))
    return tuple(t if t.dtype == target else t.to(target) for t in tensors)


def split(x: Tensor, split_size: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
    """Pieces of ``split_size`` along ``dim`` (the last may be shorter), or of the listed sizes."""
    axis = one_axis(dim, x.ndim, "split")
    length = x.shape[axis]
    if isinstance(split_size, int):
        if split_size <= 0:
            raise ValueError(f"split: split_size must be positive, got {split_size}")
        sizes = [min(split_size, length - start) for start in range(0, length, split_size)] or [0]
    else:
        sizes = [int(s) for s in split_size]
        if sum(sizes) != length:
            raise ValueError(f"split: sizes {sizes} do not add up to dimension {dim}'s length {length}")
    lead = (slice(None),) * axis
    pieces, start = [], 0
    for size in sizes:
        pieces.append(x[lead + (slice(start, start + size),)])
        start += size
    return tuple(pieces)


def pad(x: Tensor, widths: Sequence[int], value: float = 0.0) -> Tensor:
    """Constant padding as ``torch.nn.functional.pad``: ``(left, right, top, bottom, …)``."""
    widths = tuple(int(w) for w in widths)
    if len(widths) % 2 or len(widths) // 2 > x.ndim:
        raise ValueError(f"pad: needs (before, after) pairs for at most {x.ndim} dimensions, got {widths}")
    if any(w < 0 for w in widths):
        raise ValueError(f"pad: negative widths are not supported, got {widths}")
    return Pad.apply(x, widths=widths, value=float(value))


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """``a`` where ``condition`` holds, else ``b``; differentiable in ``a`` and ``b``."""
    like = a if isinstance(a, Tensor) else b if isinstance(b, Tensor) else None
    if like is None:
        raise TypeError("where: a or b must be a tensor")
    mask = condition if isinstance(condition, Tensor) else None
    condition = mask.data if mask is not None else like._backend.asarray(condition, "bool")
    a, b = common_dtype("where", (_as_tensor(a, like), _as_tensor(b, like)))
    out = Where.apply(a, b, condition=condition)
    if mask is not None and out._ctx is not None:
        guard(out._ctx, mask)
    return out


def _as_tensor(value: Any, like: Tensor) -> Tensor:
    """A number or array as a constant tensor beside ``like``: a float keeps its fraction next to ints."""
    value = constant_like(value, like)
    if isinstance(value, Tensor):
        return value
    floating = like.dtype in ("float32", "float64")
    dtype = like.dtype if floating or isinstance(value, (bool, int)) else "float32"
    return Tensor(value, dtype=dtype, device=like._backend)


def convert(x: Tensor, backend, dtype: str | None) -> Tensor:
    """``x`` on ``backend`` with ``dtype``: ``x`` itself when nothing changes, as in PyTorch."""
    source = x._backend
    data = x.data
    if backend is source and (dtype is None or x.dtype == dtype):
        return x
    if backend is not source:
        data = backend.from_host(source.to_host(data))
    if dtype is not None:
        data = backend.xp.astype(data, backend.dtype(dtype))
    node = Convert.__new__(Convert)
    node.xp = backend.xp
    node.source = source
    node.target = backend
    node.source_dtype = x.data.dtype
    floating = (dtype or x.dtype) in ("float32", "float64")
    return record(node, data, backend, (x,), (x.requires_grad and floating,))
