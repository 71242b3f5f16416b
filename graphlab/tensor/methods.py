"""``Tensor``'s methods that compute: each op's method, put on the class at import.

``tensor.py`` says what a tensor is and holds, and imports no op; the ops
import it. The methods that run an op therefore live here, above both, and
``graphlab.tensor`` imports this module before anything else can use a tensor:

* the elementwise ops of the table (``exp``, ``relu``, ``+`` and ``*`` …) are
  generated from ``graphlab.ops`` (``graphlab.methods``), each bound directly to
  its implementation in ``elementwise``;
* the rest, written out below as they are in PyTorch, call the module that
  implements the op (``reduce``, ``shape``, ``index``, ``softmax``, ``linalg``,
  ``logical``, ``autograd``);
* the in-place forms (``add_``, ``+=``, ``x[key] = v``, ``exp_`` …) are each op's
  out-of-place form handed to ``inplace.change``, which writes the result into
  the tensor's storage and records the change where a gradient flows.
"""

from __future__ import annotations

import operator
from typing import Any

from graphlab import grad_mode, methods
from graphlab.backend import DTYPES, get_backend
from graphlab.ops import OPS
from graphlab.tensor import autograd, creation, elementwise, index, inplace, linalg, logical, reduce, softmax
from graphlab.tensor import shape as shape_ops
from graphlab.tensor.tensor import Tensor, new_tensor


class _Written:
    """The methods written out by hand (this class only holds them; they go on ``Tensor``)."""

    # -- autograd ---------------------------------------------------------------------------------

    def backward(self, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
                 inputs: Any = None) -> None:
        """Accumulate d(self)/d(leaf) × ``gradient`` into every leaf's ``.grad`` (frees the graph);
        with ``inputs``, only into theirs."""
        autograd.backward(self, gradient, retain_graph, create_graph, inputs)

    # -- device and dtype -------------------------------------------------------------------------

    def to(self, *args: Any, dtype: str | None = None, device: Any = None, non_blocking: bool = False,
           copy: bool = False) -> Tensor:
        """This tensor on another device (``"cuda"``, ``"cpu"``) and/or of another dtype, as PyTorch's
        ``to(device)``, ``to(dtype)``, ``to(device, dtype)`` or ``to(other)``; itself when nothing changes
        (unless ``copy``). Differentiable."""
        for arg in args:
            if isinstance(arg, Tensor):
                device, dtype = arg.device, arg.dtype
            elif arg in DTYPES:
                dtype = arg
            elif arg is not None:
                device = arg
        moved = shape_ops.convert(self, self._backend if device is None else get_backend(device), dtype)
        return moved.clone() if copy and moved is self else moved

    def type(self, dtype: str | None = None) -> Any:
        """With a dtype, ``to(dtype)``; without, PyTorch's type name (``"torch.FloatTensor"``)."""
        if dtype is None:
            prefix = "torch.cuda." if self.device.type == "cuda" else "torch."
            return prefix + _TYPE_NAMES[self.dtype]
        return self.to(_DTYPE_OF_TYPE_NAME.get(dtype.removeprefix("torch.cuda.").removeprefix("torch."), dtype))

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other.dtype)

    def long(self) -> Tensor:
        return self.to("int64")

    def bool(self) -> Tensor:
        return self.to("bool")

    def is_floating_point(self) -> bool:
        return self.dtype in ("float32", "float64")

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    def element_size(self) -> int:
        return self.data.dtype.itemsize

    def nelement(self) -> int:
        return self.numel()

    def ndimension(self) -> int:
        return self.ndim

    def is_contiguous(self) -> bool:
        return self._backend.xp.c_contiguous(self.data)

    def contiguous(self) -> Tensor:
        """Itself if its array is laid out row by row, else a copy that is (not a view, as in PyTorch)."""
        return self if self.is_contiguous() else self.clone()

    def cpu(self) -> Tensor:
        return self.to("cpu")

    def cuda(self) -> Tensor:
        return self.to("cuda")

    def float(self) -> Tensor:
        return self.to("float32")

    def double(self) -> Tensor:
        return self.to("float64")

    # -- as a Python value ------------------------------------------------------------------------

    def __index__(self) -> int:
        """An integer tensor of one element as an index (``classes[pred.argmax()]``), as PyTorch allows."""
        if self.dtype not in ("int64", "bool") or self.numel() != 1:
            raise TypeError(f"only integer tensors of a single element can be converted to an index, "
                            f"this one is {self.dtype} of shape {self.shape}")
        return int(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __iter__(self):
        """Its rows (views along the first dimension), as iterating a PyTorch tensor gives."""
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.shape[0]))

    def __contains__(self, value: Any) -> bool:
        return bool((self == value).any().item())

    def __format__(self, spec: str) -> str:
        """A one-element tensor formats as its number (``f"{loss:.4f}"``), as in PyTorch."""
        if spec and self.numel() == 1:
            return format(self.item(), spec)
        return format(str(self), spec)

    # -- copies and in-place changes --------------------------------------------------------------

    def clone(self, *, memory_format: Any = None) -> Tensor:
        """A copy with its own storage; the gradient passes through to this tensor."""
        return inplace.Clone.apply(self)

    def __setitem__(self, key, value): index.setitem(self, key, value)

    def add_(self, other, *, alpha: float = 1): return _arithmetic_(self, "add_", operator.add, operator.iadd, other, alpha)
    def sub_(self, other, *, alpha: float = 1): return _arithmetic_(self, "sub_", operator.sub, operator.isub, other, alpha)
    def mul_(self, other): return _arithmetic_(self, "mul_", operator.mul, operator.imul, other)
    def div_(self, other): return _arithmetic_(self, "div_", operator.truediv, operator.itruediv, other)
    def pow_(self, exponent): return _arithmetic_(self, "pow_", operator.pow, operator.ipow, exponent)
    def __iadd__(self, other): return _arithmetic_(self, "+=", operator.add, operator.iadd, other)
    def __isub__(self, other): return _arithmetic_(self, "-=", operator.sub, operator.isub, other)
    def __imul__(self, other): return _arithmetic_(self, "*=", operator.mul, operator.imul, other)
    def __itruediv__(self, other): return _arithmetic_(self, "/=", operator.truediv, operator.itruediv, other)
    def __ipow__(self, other): return _arithmetic_(self, "**=", operator.pow, operator.ipow, other)

    def clamp_(self, min: float | None = None, max: float | None = None) -> Tensor:
        return inplace.change(self, "clamp_", lambda old: elementwise.clamp(old, min, max))

    clip_ = clamp_

    def fill_(self, value: Any) -> Tensor:
        index.setitem(self, Ellipsis, value)
        return self

    def zero_(self) -> Tensor:
        return self.fill_(0)

    def copy_(self, source: Any, non_blocking: bool = False) -> Tensor:
        """Write ``source``'s values (broadcast, cast, moved to this device) into this tensor."""
        if isinstance(source, Tensor) and source._backend is not self._backend:
            source = source.to(self._backend)
        return self.fill_(source)

    def masked_fill_(self, mask: Tensor, value: Any) -> Tensor:
        index.setitem(self, shape_ops.expand(mask, self.shape) if mask.shape != self.shape else mask, value)
        return self

    def masked_fill(self, mask: Tensor, value: Any) -> Tensor:
        return self.clone().masked_fill_(mask, value)

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
        return self.fill_(creation.randn(self.shape, dtype=self.dtype, generator=generator, device=self.device)
                          * std + mean)

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
        return self.fill_(creation.rand(self.shape, dtype=self.dtype, generator=generator, device=self.device)
                          * (b - a) + a)

    # -- operators the table does not generate ----------------------------------------------------

    def __pow__(self, exponent): return elementwise.power(self, exponent)
    def __rpow__(self, base): return elementwise.rpower(base, self)
    def pow(self, exponent): return elementwise.power(self, exponent)
    def __matmul__(self, other): return linalg.matmul(self, other)
    def __rmatmul__(self, other): return linalg.matmul(other, self)
    def __getitem__(self, key): return index.getitem(self, key)

    def __lt__(self, other): return elementwise.compare("lt", self, other)
    def __le__(self, other): return elementwise.compare("le", self, other)
    def __gt__(self, other): return elementwise.compare("gt", self, other)
    def __ge__(self, other): return elementwise.compare("ge", self, other)
    def __eq__(self, other): return elementwise.compare("eq", self, other)  # type: ignore[override]
    def __ne__(self, other): return elementwise.compare("ne", self, other)  # type: ignore[override]

    # masks: logical on bool tensors, bitwise on integers (each is its own reflection)
    def __and__(self, other): return logical.bitwise("&", self, other)
    def __or__(self, other): return logical.bitwise("|", self, other)
    def __xor__(self, other): return logical.bitwise("^", self, other)
    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__
    def __invert__(self): return logical.invert(self)

    def clamp(self, min: float | None = None, max: float | None = None):
        return elementwise.clamp(self, min, max)

    clip = clamp

    # -- reductions -------------------------------------------------------------------------------

    def sum(self, dim=None, keepdim: bool = False): return reduce.Sum.apply(self, dim=dim, keepdim=keepdim)
    def mean(self, dim=None, keepdim: bool = False): return reduce.of_floats(reduce.Mean, self, dim=dim, keepdim=keepdim)
    def prod(self, dim=None, keepdim: bool = False): return reduce.Prod.apply(self, dim=dim, keepdim=keepdim)
    def amax(self, dim=None, keepdim: bool = False): return reduce.Max.apply(self, dim=dim, keepdim=keepdim)
    def amin(self, dim=None, keepdim: bool = False): return reduce.Min.apply(self, dim=dim, keepdim=keepdim)

    def max(self, dim: int | None = None, keepdim: bool = False):
        """The largest value; with ``dim``, ``(values, indices)`` as in PyTorch."""
        return reduce.extreme(self, reduce.Max, dim, keepdim)

    def min(self, dim: int | None = None, keepdim: bool = False):
        """The smallest value; with ``dim``, ``(values, indices)`` as in PyTorch."""
        return reduce.extreme(self, reduce.Min, dim, keepdim)

    def argmax(self, dim: int | None = None, keepdim: bool = False): return reduce.argextreme(self, "argmax", dim, keepdim)
    def argmin(self, dim: int | None = None, keepdim: bool = False): return reduce.argextreme(self, "argmin", dim, keepdim)

    def var(self, dim=None, correction: float = 1, keepdim: bool = False):
        return reduce.of_floats(reduce.Var, self, dim=dim, correction=correction, keepdim=keepdim)

    def std(self, dim=None, correction: float = 1, keepdim: bool = False):
        return reduce.of_floats(reduce.Std, self, dim=dim, correction=correction, keepdim=keepdim)

    def logsumexp(self, dim, keepdim: bool = False): return softmax.LogSumExp.apply(self, dim=dim, keepdim=keepdim)
    def softmax(self, dim: int = -1): return softmax.Softmax.apply(self, dim=dim)
    def log_softmax(self, dim: int = -1): return softmax.LogSoftmax.apply(self, dim=dim)

    # -- shape ------------------------------------------------------------------------------------

    def reshape(self, *shape): return shape_ops.reshape(self, shape)
    def view(self, *shape): return shape_ops.view(self, shape)
    def view_as(self, other): return shape_ops.view(self, other.shape)
    def reshape_as(self, other): return shape_ops.reshape(self, other.shape)
    def expand_as(self, other): return shape_ops.expand(self, other.shape)
    def flatten(self, start_dim: int = 0, end_dim: int = -1): return shape_ops.flatten(self, start_dim, end_dim)
    def transpose(self, dim0: int, dim1: int): return shape_ops.transpose(self, dim0, dim1)
    def permute(self, *dims): return shape_ops.permute(self, dims)
    def squeeze(self, dim=None): return shape_ops.squeeze(self, dim)
    def unsqueeze(self, dim: int): return shape_ops.unsqueeze(self, dim)
    def expand(self, *sizes): return shape_ops.expand(self, sizes)
    def split(self, split_size, dim: int = 0): return shape_ops.split(self, split_size, dim)
    def matmul(self, other): return linalg.matmul(self, other)

    def mm(self, other):
        """The product of two matrices (2-d only, as PyTorch's ``mm``; ``@`` takes any)."""
        if self.ndim != 2 or not isinstance(other, Tensor) or other.ndim != 2:
            shape = other.shape if isinstance(other, Tensor) else type(other).__name__
            raise RuntimeError(f"mm: both operands must be 2-d tensors, got {self.shape} and {shape}")
        return linalg.matmul(self, other)

    def dot(self, other):
        if self.ndim != 1 or not isinstance(other, Tensor) or other.ndim != 1:
            raise RuntimeError("dot: both operands must be 1-d tensors")
        return linalg.matmul(self, other)

    def t(self):
        """The transpose of a matrix (a tensor of at most 2 dimensions, as PyTorch's ``t``)."""
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return shape_ops.transpose(self, 0, -1) if self.ndim == 2 else self

    def chunk(self, chunks: int, dim: int = 0):
        length = self.shape[dim]
        return shape_ops.split(self, max(1, -(-length // chunks)), dim)

    def unbind(self, dim: int = 0):
        axis = reduce.one_axis(dim, self.ndim, "unbind")
        return tuple(shape_ops.squeeze(piece, axis) for piece in shape_ops.split(self, 1, axis))

    def add(self, other, *, alpha: float = 1): return self + (other if alpha == 1 else other * alpha)
    def sub(self, other, *, alpha: float = 1): return self - (other if alpha == 1 else other * alpha)
    def mul(self, other): return self * other
    def div(self, other): return self / other
    multiply, subtract, divide, true_divide = mul, sub, div, div

    def __mod__(self, other): return _without_gradient("%", operator.mod, self, other)
    def __rmod__(self, other): return _without_gradient("%", operator.mod, other, self)
    def __floordiv__(self, other): return _without_gradient("//", operator.floordiv, self, other)
    def __rfloordiv__(self, other): return _without_gradient("//", operator.floordiv, other, self)
    remainder, floor_divide = __mod__, __floordiv__

    def eq(self, other): return elementwise.compare("eq", self, other)
    def ne(self, other): return elementwise.compare("ne", self, other)
    def lt(self, other): return elementwise.compare("lt", self, other)
    def le(self, other): return elementwise.compare("le", self, other)
    def gt(self, other): return elementwise.compare("gt", self, other)
    def ge(self, other): return elementwise.compare("ge", self, other)

    def equal(self, other) -> bool:
        """Same shape and the same values (a Python bool, as PyTorch's ``equal``)."""
        return self.shape == other.shape and bool((self == other).all().item())

    def allclose(self, other, rtol: float = 1e-05, atol: float = 1e-08) -> bool:
        xp = self._backend.xp
        other = other.data if isinstance(other, Tensor) else other
        return bool(xp.all(xp.abs(self.data - other) <= atol + rtol * xp.abs(other)))

    def all(self, dim=None, keepdim: bool = False) -> Tensor:
        return _logical_reduce(self, "all", dim, keepdim)

    def any(self, dim=None, keepdim: bool = False) -> Tensor:
        return _logical_reduce(self, "any", dim, keepdim)

    def norm(self, p: float = 2, dim=None, keepdim: bool = False) -> Tensor:
        """The p-norm over ``dim`` (all elements by default), differentiable."""
        if p == 2:
            return (self * self).sum(dim, keepdim).sqrt()
        if p == 1:
            return self.abs().sum(dim, keepdim)
        return (self.abs() ** p).sum(dim, keepdim) ** (1.0 / p)

    def new_zeros(self, *size, dtype=None): return creation.zeros(*size, dtype=dtype or self.dtype, device=self.device)
    def new_ones(self, *size, dtype=None): return creation.ones(*size, dtype=dtype or self.dtype, device=self.device)

    def new_full(self, size, fill_value, *, dtype=None):
        return creation.full(size, fill_value, dtype=dtype or self.dtype, device=self.device)

    def new_tensor(self, data, *, dtype=None, requires_grad: bool = False):
        return Tensor(data, dtype=dtype or self.dtype, device=self.device, requires_grad=requires_grad)

    @property
    def T(self) -> Tensor:
        """Dimensions reversed (the transpose of a matrix)."""
        return shape_ops.permute(self, tuple(range(self.ndim - 1, -1, -1)))

    @property
    def mT(self) -> Tensor:
        """The last two dimensions swapped (a batch of transposed matrices)."""
        return shape_ops.transpose(self, -2, -1)


_TYPE_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "int64": "LongTensor", "bool": "BoolTensor"}
_DTYPE_OF_TYPE_NAME = {name: dtype for dtype, name in _TYPE_NAMES.items()}


def _arithmetic_(target: Tensor, name: str, combine, combine_in_place, other: Any, alpha: float = 1) -> Tensor:
    """``target ∘= other`` (``other × alpha``) in place: the array's own in-place operator where nothing is recorded."""
    if alpha != 1:
        other = other * alpha
    if other.__class__ is float or other.__class__ is int:
        value = other
    elif isinstance(other, Tensor):
        if other._backend is not target._backend:
            raise RuntimeError(f"{name}: tensors on different devices ({target.device} and {other.device}); "
                               "move them with .to(device) first")
        value = other.data
        if value.dtype is not target.data.dtype and inplace.KINDS[other.dtype] > inplace.KINDS[target.dtype]:
            raise RuntimeError(f"{name}: result type {other.dtype} can't be cast to the desired output type "
                               f"{target.dtype}")
    else:
        other = elementwise.constant_like(other, target)
        value = other.data if isinstance(other, Tensor) else other
    return inplace.change_by(target, name, combine, combine_in_place, other, value)


def _without_gradient(symbol: str, combine, a: Any, b: Any) -> Tensor:
    """``a % b`` or ``a // b``: a new tensor outside the graph (a tensor that requires grad is refused)."""
    like = a if isinstance(a, Tensor) else b
    a, b = (elementwise.constant_like(v, like) for v in (a, b))
    if any(isinstance(v, Tensor) and v.requires_grad for v in (a, b)) and grad_mode.enabled:
        raise RuntimeError(f"{symbol} of a tensor that requires grad is not supported by graphlab (no gradient); "
                           "compute it on .detach()")
    values = [v.data if isinstance(v, Tensor) else v for v in (a, b)]
    return new_tensor(combine(*values), like._backend)


def _logical_reduce(x: Tensor, which: str, dim: Any, keepdim: bool) -> Tensor:
    xp = x._backend.xp
    axes = reduce.normalize_axes(dim, x.ndim, which)
    data = x.data if x.dtype == "bool" else x.data != 0
    return new_tensor(getattr(xp, which)(data, axis=axes, keepdims=keepdim), x._backend)


def _refused_dtype(method: str, dtype: str):
    """``.int()``, ``.half()`` …: PyTorch's casts to a dtype graphlab has no tensors of, refused by name."""
    def refuse(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        raise TypeError(f"Tensor.{method}() casts to {dtype}, which graphlab does not support: tensors are "
                        "float32, float64, int64 or bool (.float(), .double(), .long(), .bool())")
    refuse.__name__ = refuse.__qualname__ = method
    return refuse


def _in_place_of(op_name: str):
    """``exp_`` from ``exp``: the table op, written back into the tensor."""
    def method(self: Tensor) -> Tensor:
        return inplace.change(self, f"{name}_", getattr(Tensor, name))
    name = OPS[op_name].methods[0]
    method.__name__ = method.__qualname__ = f"{name}_"
    method.__doc__ = f"``{name}`` in place."
    return method


_CLASS_ITSELF = {"__module__", "__qualname__", "__doc__", "__dict__", "__weakref__", "__firstlineno__",
                 "__static_attributes__", "__hash__"}  # __hash__: None here, since __eq__ is; Tensor keeps its own

for _name, _method in vars(_Written).items():
    if _name not in _CLASS_ITSELF:
        if hasattr(_method, "__qualname__"):
            _method.__qualname__ = f"Tensor.{_name}"
        setattr(Tensor, _name, _method)

methods.install(Tensor, methods.generate(lambda op: op.functions, elementwise.unary_function,
                                         elementwise.binary_function, ("self", "other")))
methods.install(Tensor, {f"{op.methods[0]}_": _in_place_of(op.name) for op in OPS.values()
                         if op.arity == 1 and op.methods and not op.params})
methods.install(Tensor, {method: _refused_dtype(method, dtype) for method, dtype in (
    ("int", "int32"), ("short", "int16"), ("char", "int8"), ("byte", "uint8"), ("half", "float16"),
    ("bfloat16", "bfloat16"))})
