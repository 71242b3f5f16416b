"""``Tensor``: an array that records the graph of the ops that made it.

PyTorch's names (``requires_grad``, ``.grad``, ``.detach()``), with the array
held in ``.data`` on a backend (NumPy, CuPy, or the strict test backend). A
tensor made by an op records how: its node (``_ctx``, a ``Function``: the op
and what its backward needs), its inputs, its number in recording order and its
name scope. Inputs never point back, so the graph is acyclic. The inputs and
the number live on the tensor rather than on the node, so that an elementwise
op, whose backward needs nothing but these, shares its nodes among all its
outputs: each op makes two objects (its output and the tuple of its inputs)
instead of three.

This module holds what a tensor is and what it holds, and imports no op:
``new_tensor`` is the one constructor of a tensor's fields, recording
(``tensor/function.py``) builds on it, the ops build on recording, and the
methods that compute something (``+``, ``exp``, ``sum``, ``backward`` …) are
put on the class by ``tensor/methods.py``, the table's elementwise ops
generated from ``graphlab.ops``.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from typing import Any

from graphlab import grad_mode
from graphlab.backend import Backend, get_backend
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
        new_tensor(array, backend, into=self)
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
        if grad_mode.enabled and self.requires_grad:
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

    # -- as a Python value ----------------------------------------------------------------------

    def __pos__(self) -> Tensor:
        return self

    def __bool__(self) -> bool:
        if self.numel() != 1:
            raise RuntimeError(f"the truth value of a tensor with {self.numel()} elements is ambiguous")
        return bool(self.item())

    def __float__(self) -> float:
        return float(self.item())

    # -- printing -------------------------------------------------------------------------------

    def __repr__(self) -> str:
        from graphlab.tensor.printing import backward_name, tensor_text  # lazy: printing imports this module

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


def new_tensor(data: Any, backend: Backend, node: Any = None, inputs: tuple | None = None, *,
               into: Tensor | None = None) -> Tensor:
    """A tensor around ``data`` without checks or copies: how ops make their outputs, and the one
    place where a tensor's fields are written (``Tensor()`` fills itself here, as ``into``).

    With ``node`` (a ``Function``), the tensor is recorded as made by it from
    ``inputs``: it requires grad, and takes the next number of the clock and the
    current name scope. Recording itself (``function.join``) calls this.
    """
    t = _new(Tensor) if into is None else into
    t.data = data
    t.grad = None
    t._ctx = node
    t._backend = backend
    t._hooks = None  # hooks, and RETAIN_GRAD after retain_grad()
    t.name = ""
    t._pending = None  # the gradients received so far (an array, or a list of small ones), during backward only
    t._edited = 0  # when its values were last changed in place (``mode.mark_edited``)
    t._inputs = inputs  # a recorded tensor's inputs, until backward frees them
    if node is None:
        t.requires_grad = False
        t._seq = 0
        t._scope = ""
    else:
        t.requires_grad = True
        t._seq = next(mode.sequence)  # its inputs have smaller numbers
        t._scope = mode.scope  # the name scope it was recorded in
    t._where = ""  # anomaly mode: the user's line that made it
    t._anomaly = False  # anomaly mode: its value or gradient was the first NaN/inf
    return t


_new = object.__new__


def _array_of(value: Any) -> Any:
    return value.data if isinstance(value, Tensor) else value
