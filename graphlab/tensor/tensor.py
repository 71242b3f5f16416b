"""``Tensor``: an array that records the graph of the ops that made it.

PyTorch's names (``requires_grad``, ``.backward()``, ``.grad``, ``.detach()``),
with the array held in ``.data`` on a backend (NumPy, CuPy, or the strict test
backend). A tensor made by an op records how: its node (``_ctx``, a
``Function``: the op and what its backward needs), its inputs, its number in
recording order and its name scope. Inputs never point back, so the graph is
acyclic. The inputs and the number live on the tensor rather than on the node,
so that an elementwise op, whose backward needs nothing but these, shares its
nodes among all its outputs: each op makes two objects (its output and the tuple
of its inputs) instead of three.

The op methods below are thin: each calls the module that implements the op
(``elementwise``, ``reduce``, ``shape``, ``index``, ``softmax``).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from typing import Any

from graphlab.backend import Backend, get_backend
from graphlab.ops import OPS
from graphlab.tensor import mode

RETAIN_GRAD = object()
"""Marks, among a tensor's hooks, that backward must also store its gradient in ``.grad``."""

MinMax = namedtuple("MinMax", ["values", "indices"])
"""What ``max(dim)`` / ``min(dim)`` return, as in PyTorch."""


class Tensor:
    """A node of the tensor graph: the array, its gradient, and the op that produced it."""

    __slots__ = (
        "__weakref__",
        "_anomaly",
        "_backend",
        "_ctx",
        "_edited",
        "_hooks",
        "_inputs",
        "_pending",
        "_scope",
        "_seq",
        "_where",
        "data",
        "grad",
        "name",
        "requires_grad",
    )
    __array_ufunc__ = None  # ``numpy_array * tensor`` defers to Tensor.__rmul__
    __hash__ = object.__hash__  # == is elementwise, identity stays hashable

    def __init__(self, data: Any, dtype: str | None = None, requires_grad: bool = False,
                 device: str | Backend | None = None) -> None:
        if isinstance(data, Tensor):
            backend = get_backend(device) if device is not None else data._backend
            source = data.data if backend is data._backend else data._backend.to_host(data.data)
            array = backend.asarray(source, dtype, copy=True)
        else:
            backend = get_backend(device)
            array = backend.asarray(data, dtype, copy=True)
        self.data = array
        self.grad: Tensor | None = None
        self.requires_grad = False
        self._ctx = None
        self._backend = backend
        self._hooks: list[Callable] | None = None  # also holds RETAIN_GRAD after retain_grad()
        self.name = ""
        self._pending = None
        self._edited = 0  # when its values were last changed in place (``mode.mark_edited``)
        self._inputs = None
        self._seq = 0
        self._scope = ""
        self._where = ""
        self._anomaly = False
        if requires_grad:
            self.requires_grad_()

    # -- what it is ---------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.data.shape)

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> str:
        """``"float32"``, ``"float64"``, ``"int64"`` or ``"bool"``."""
        return self._backend.dtype_name(self.data.dtype)

    @property
    def device(self) -> str:
        return self._backend.name

    @property
    def is_leaf(self) -> bool:
        return self._ctx is None

    @property
    def grad_fn(self):
        """The node that made this tensor (``None`` for leaves)."""
        return self._ctx

    def size(self, dim: int | None = None):
        return self.shape if dim is None else self.shape[dim]

    def numel(self) -> int:
        n = 1
        for d in self.data.shape:
            n *= d
        return n

    def dim(self) -> int:
        return self.data.ndim

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    # -- host, device, dtype --------------------------------------------------

    def numpy(self):
        """The values as a NumPy array (shares memory on the CPU backend, as in PyTorch)."""
        import numpy

        return numpy.asarray(self._backend.to_host(self.data))

    def __array__(self, dtype=None, copy=None):
        import numpy

        host = numpy.asarray(self._backend.to_host(self.data))
        return host if dtype is None else host.astype(dtype, copy=False)

    def item(self) -> float:
        if self.numel() != 1:
            raise ValueError(f"item() needs a tensor with one element, got shape {self.shape}")
        return self.numpy().reshape(()).item()

    def tolist(self):
        return self.numpy().tolist()

    def to(self, target: str, dtype: str | None = None) -> Tensor:
        """A copy on another device (``"cuda"``, ``"cpu"``) or of another dtype; differentiable."""
        from graphlab.tensor.shape import convert

        if target in ("float32", "float64", "int64", "bool"):
            return convert(self, self._backend, target)
        return convert(self, get_backend(target), dtype)

    def cpu(self) -> Tensor:
        return self.to("cpu")

    def cuda(self) -> Tensor:
        return self.to("cuda")

    def float(self) -> Tensor:
        return self.to("float32")

    def double(self) -> Tensor:
        return self.to("float64")

    def contiguous(self) -> Tensor:
        return self

    # -- autograd ---------------------------------------------------------------

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if self._ctx is not None and not requires_grad:
            raise RuntimeError("requires_grad_(False) is only for leaves; use .detach() on a computed tensor")
        if requires_grad and self.dtype not in ("float32", "float64"):
            raise RuntimeError(f"only float tensors can require gradients, this one is {self.dtype}")
        self.requires_grad = requires_grad
        return self

    def backward(self, gradient: Any = None, retain_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf) × ``gradient`` into every leaf's ``.grad`` (frees the graph)."""
        autograd.backward(self, gradient, retain_graph)

    def detach(self) -> Tensor:
        """The same array, cut from the graph."""
        return new_tensor(self.data, self._backend)

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this non-leaf tensor after backward."""
        if self._ctx is not None:
            if self._hooks is None:
                self._hooks = []
            if RETAIN_GRAD not in self._hooks:
                self._hooks.append(RETAIN_GRAD)

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]):
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned tensor replaces it."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that does not require grad")
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return _HookHandle(self._hooks, hook)

    # -- in place, for optimizers -------------------------------------------------

    def _check_inplace(self, name: str) -> None:
        """Refuse an in-place change the graph would not see; stamp the others (backward checks them)."""
        if mode.grad_enabled and self.requires_grad:
            raise RuntimeError(f"{name}: a tensor that requires grad is being changed in place "
                               "while the graph is recorded; wrap the update in no_grad()")
        mode.mark_edited(self)

    def add_(self, other: Any, alpha: float = 1.0) -> Tensor:
        self._check_inplace("add_")
        value = other.data if isinstance(other, Tensor) else other
        self.data += value if alpha == 1.0 else alpha * value
        return self

    def sub_(self, other: Any, alpha: float = 1.0) -> Tensor:
        self._check_inplace("sub_")
        value = other.data if isinstance(other, Tensor) else other
        self.data -= value if alpha == 1.0 else alpha * value
        return self

    def mul_(self, other: Any) -> Tensor:
        self._check_inplace("mul_")
        self.data *= other.data if isinstance(other, Tensor) else other
        return self

    def copy_(self, source: Any) -> Tensor:
        self._check_inplace("copy_")
        value = _array_of(source)
        self.data[...] = value if isinstance(value, (int, float)) else self._backend.xp.astype(value, self.data.dtype)
        return self

    def zero_(self) -> Tensor:
        self._check_inplace("zero_")
        self.data[...] = 0
        return self

    def fill_(self, value: float) -> Tensor:
        self._check_inplace("fill_")
        self.data[...] = value
        return self

    # -- operators ------------------------------------------------------------------

    # + − × ÷ @ (and their reflected forms) are set below, once elementwise and linalg are imported
    def __neg__(self): return elementwise.unary(OPS["neg"], self)
    def __pos__(self): return self
    def __abs__(self): return elementwise.unary(OPS["abs"], self)
    def __pow__(self, exponent): return elementwise.power(self, exponent)
    def __rpow__(self, base): return elementwise.rpower(base, self)
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

    def __bool__(self) -> bool:
        if self.numel() != 1:
            raise RuntimeError(f"the truth value of a tensor with {self.numel()} elements is ambiguous")
        return bool(self.item())

    def __float__(self) -> float:
        return float(self.item())

    # -- elementwise ops of the table --------------------------------------------------

    def exp(self): return elementwise.unary(OPS["exp"], self)
    def log(self): return elementwise.unary(OPS["log"], self)
    def sqrt(self): return elementwise.unary(OPS["sqrt"], self)
    def abs(self): return elementwise.unary(OPS["abs"], self)
    def square(self): return elementwise.unary(OPS["square"], self)
    def reciprocal(self): return elementwise.unary(OPS["reciprocal"], self)
    def sin(self): return elementwise.unary(OPS["sin"], self)
    def cos(self): return elementwise.unary(OPS["cos"], self)
    def sigmoid(self): return elementwise.unary(OPS["sigmoid"], self)
    def tanh(self): return elementwise.unary(OPS["tanh"], self)
    def relu(self): return elementwise.unary(OPS["relu"], self)
    def selu(self): return elementwise.unary(OPS["selu"], self)
    def softplus(self): return elementwise.unary(OPS["softplus"], self)
    def neg(self): return elementwise.unary(OPS["neg"], self)
    def pow(self, exponent): return elementwise.power(self, exponent)
    def maximum(self, other): return elementwise.binary(OPS["max"], self, other)
    def minimum(self, other): return elementwise.binary(OPS["min"], self, other)

    def leaky_relu(self, slope: float = 0.01):
        return elementwise.unary(OPS["leaky_relu"], self, (float(slope),))

    def elu(self, alpha: float = 1.0):
        return elementwise.unary(OPS["elu"], self, (float(alpha),))

    def silu(self, beta: float = 1.0):
        return elementwise.unary(OPS["silu"], self, (float(beta),))

    swish = silu

    def gelu(self, approximate: str = "none"):
        """GELU, exact (``"none"``) or with PyTorch's ``"tanh"`` approximation."""
        if approximate not in ("none", "tanh"):
            raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
        return elementwise.unary(OPS["gelu_tanh" if approximate == "tanh" else "gelu"], self)

    def clamp(self, min: float | None = None, max: float | None = None):
        return elementwise.clamp(self, min, max)

    clip = clamp

    # -- reductions -----------------------------------------------------------------------

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

    # -- shape ------------------------------------------------------------------------------

    def reshape(self, *shape): return shape_ops.reshape(self, shape)
    def view(self, *shape): return shape_ops.reshape(self, shape)
    def flatten(self, start_dim: int = 0, end_dim: int = -1): return shape_ops.flatten(self, start_dim, end_dim)
    def transpose(self, dim0: int, dim1: int): return shape_ops.transpose(self, dim0, dim1)
    def permute(self, *dims): return shape_ops.permute(self, dims)
    def squeeze(self, dim=None): return shape_ops.squeeze(self, dim)
    def unsqueeze(self, dim: int): return shape_ops.unsqueeze(self, dim)
    def expand(self, *sizes): return shape_ops.expand(self, sizes)
    def split(self, split_size, dim: int = 0): return shape_ops.split(self, split_size, dim)
    def matmul(self, other): return linalg.matmul(self, other)

    @property
    def T(self) -> Tensor:
        """Dimensions reversed (the transpose of a matrix)."""
        return shape_ops.permute(self, tuple(range(self.ndim - 1, -1, -1)))

    @property
    def mT(self) -> Tensor:
        """The last two dimensions swapped (a batch of transposed matrices)."""
        return shape_ops.transpose(self, -2, -1)

    # -- printing -------------------------------------------------------------------------------

    def __repr__(self) -> str:
        from graphlab.tensor.printing import backward_name, tensor_text

        extras = []
        if self.device != "cpu":
            extras.append(f"device={self.device!r}")
        if self._ctx is not None:
            extras.append(f"grad_fn=<{backward_name(self._ctx.name)}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return tensor_text(self.numpy(), self.dtype, extras)


class _HookHandle:
    """``handle.remove()`` takes the hook off again."""

    __slots__ = ("hook", "hooks")

    def __init__(self, hooks: list, hook: Callable) -> None:
        self.hooks, self.hook = hooks, hook

    def remove(self) -> None:
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)


def new_tensor(data: Any, backend: Backend) -> Tensor:
    """A tensor around ``data`` without checks or copies: how ops make their outputs."""
    t = Tensor.__new__(Tensor)
    t.data = data
    t.grad = None
    t.requires_grad = False
    t._ctx = None
    t._backend = backend
    t._hooks = None
    t.name = ""
    t._pending = None  # the gradients received so far (an array, or a list of small ones), during backward only
    t._edited = 0
    t._inputs = None  # a recorded tensor's inputs, until backward frees them (``function.join``)
    t._seq = 0  # a recorded tensor's number: its inputs have smaller ones
    t._scope = ""  # the name scope it was recorded in
    t._where = ""  # anomaly mode: the user's line that made it
    t._anomaly = False  # anomaly mode: its value or gradient was the first NaN/inf
    return t


def _array_of(value: Any) -> Any:
    return value.data if isinstance(value, Tensor) else value


# The op modules need ``Tensor`` defined first.
from graphlab.tensor import autograd, elementwise, index, linalg, logical, reduce, softmax
from graphlab.tensor import shape as shape_ops

Tensor.__add__ = elementwise.binary_op(OPS["add"])
Tensor.__radd__ = elementwise.reflected(Tensor.__add__)
Tensor.__sub__ = elementwise.binary_op(OPS["sub"])
Tensor.__rsub__ = elementwise.reflected(Tensor.__sub__)
Tensor.__mul__ = elementwise.binary_op(OPS["mul"])
Tensor.__rmul__ = elementwise.reflected(Tensor.__mul__)
Tensor.__truediv__ = elementwise.binary_op(OPS["div"])
Tensor.__rtruediv__ = elementwise.reflected(Tensor.__truediv__)
Tensor.__matmul__ = linalg.matmul
Tensor.__rmatmul__ = elementwise.reflected(linalg.matmul)
