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

Tensors that share an array (a view, a detached alias) share its ``Version``:
PyTorch's version counter, one small object per storage, made when first
needed. Every in-place change bumps it, and backward compares it with the
time a node read the values (``graphlab.tensor.autograd``).

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

from graphlab.backend import Backend, get_backend
from graphlab.tensor import mode
from graphlab.tensor.anomaly import caller_line

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
        "_counter",
        "_ctx",
        "_grad",
        "_hooks",
        "_inputs",
        "_pending",
        "_scope",
        "_seq",
        "_view",
        "_where",
        "data",
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
    def device(self) -> device:
        """Where the array lives: ``device("cpu")``, which also equals the string ``"cpu"``."""
        return device.of(self._backend)

    @property
    def is_leaf(self) -> bool:
        return self._ctx is None

    @property
    def grad_fn(self):
        """The node that made this tensor (``None`` for leaves)."""
        return self._ctx

    @property
    def grad(self) -> Tensor | None:
        """The gradient backward accumulated here (leaves, and tensors that called ``retain_grad``)."""
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                                f"{type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError(f"assigned grad has shape {value.shape}, the tensor has {self.shape}")
            if value.dtype != self.dtype or value._backend is not self._backend:
                raise RuntimeError(f"assigned grad is {value.dtype} on {value.device}, the tensor is "
                                   f"{self.dtype} on {self.device}")
        self._grad = value

    @property
    def _version(self) -> int:
        """How many in-place changes its storage has had (PyTorch's ``_version``)."""
        return 0 if self._counter is None else self._counter.count

    @property
    def _base(self) -> Tensor | None:
        """The tensor this one is a view of (``None`` if it is not a view), as in PyTorch."""
        view = self._view
        return None if view is None else view[0]

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

    # -- interchange ---------------------------------------------------------------

    def __dlpack__(self, **kwargs: Any) -> Any:
        """The array for DLPack consumers (``numpy.from_dlpack``, ``torch.from_dlpack``), memory shared."""
        if self.requires_grad:
            raise RuntimeError("__dlpack__: this tensor requires grad; call .detach() first (as PyTorch asks)")
        return self.data.__dlpack__(**kwargs)

    def __dlpack_device__(self) -> tuple[int, int]:
        return self.data.__dlpack_device__()

    # -- autograd ---------------------------------------------------------------

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if self._ctx is not None and not requires_grad:
            raise RuntimeError("requires_grad_(False) is only for leaves; use .detach() on a computed tensor")
        if requires_grad and self.dtype not in ("float32", "float64"):
            raise RuntimeError(f"only float tensors can require gradients, this one is {self.dtype}")
        self.requires_grad = requires_grad
        return self

    def detach(self) -> Tensor:
        """The same array, cut from the graph; an in-place change of either is seen by both's counter."""
        alias = new_tensor(self.data, self._backend)
        alias._counter = counter(self)
        return alias

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
            extras.append(f"device='{self.device}'")
        if self._ctx is not None:
            extras.append(f"grad_fn=<{backward_name(self._ctx.name)}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return tensor_text(self.numpy(), self.dtype, extras)


class device(str):
    """``torch.device``: ``device("cuda")``, ``device("cpu")``. It is the string it names, so
    ``t.device == "cpu"`` holds and anything that takes a device name takes it."""

    __slots__ = ()

    def __new__(cls, type: str | device, index: int | None = None) -> device:
        if index is not None:
            type = f"{type}:{index}"
        return super().__new__(cls, str(type))

    @property
    def type(self) -> str:
        return self.split(":", 1)[0]

    @property
    def index(self) -> int | None:
        _, _, number = self.partition(":")
        return int(number) if number else None

    def __repr__(self) -> str:
        return f"device(type={self.type!r}" + ("" if self.index is None else f", index={self.index}") + ")"

    @classmethod
    def of(cls, backend: Backend) -> device:
        """The device of ``backend``, made once."""
        made = _DEVICES.get(backend.name)
        if made is None:
            made = _DEVICES[backend.name] = cls(backend.name)
        return made


_DEVICES: dict[str, device] = {}


class Version:
    """A storage's version counter, shared by a tensor, its views and its detached aliases.

    ``count`` is PyTorch's ``_version``. ``stamp`` is the number on the tensors' clock
    (``mode.sequence``) of the latest in-place change, so a node recorded with number
    ``n`` read these values unchanged exactly when ``stamp < n``: one comparison, and no
    version to store per saved tensor. ``where`` is the user's line that made the change.
    ``rewrites`` lists the changes recorded in the graph (``inplace.change``): each one's
    stamp and the numbers the tensors whose history it rewrote took; ``previous`` maps each
    such number to the number before and (a weak reference to) the tensor that holds the
    history from before (``function.as_seen``).
    """

    __slots__ = ("__weakref__", "count", "previous", "rewrites", "stamp", "where")

    def __init__(self) -> None:
        self.count, self.stamp, self.where, self.rewrites, self.previous = 0, 0, "", None, None


def counter(t: Tensor) -> Version:
    """``t``'s storage's counter, made on first need (most tensors are never changed in place)."""
    made = t._counter
    if made is None:
        made = t._counter = Version()
    return made


def bump(t: Tensor) -> None:
    """Count one in-place change of ``t``'s storage, now, at the user's current line."""
    made = t._counter
    if made is None:
        made = t._counter = Version()
    made.count += 1
    made.stamp = mode.last_edit = next(mode.sequence)
    made.where = caller_line()


def as_view(out: Tensor, x: Tensor, take: Callable[[Any], Any]) -> Tensor:
    """Mark ``out`` as a view of ``x``: ``take(array)`` takes it from ``x``'s array. It shares
    ``x``'s counter, and remembers the first tensor of the chain of views (PyTorch's ``_base``) and
    how to take the view from that one's array, for writing through it in place (``inplace``)."""
    out._counter = counter(x)
    view = x._view
    if view is None:
        out._view = (x, take)
    else:
        base, take_x = view
        out._view = (base, lambda array: take(take_x(array)))
    return out


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
    t._grad = None
    t._ctx = node
    t._backend = backend
    t._hooks = None  # hooks, and RETAIN_GRAD after retain_grad()
    t.name = ""
    t._pending = None  # the gradients received so far (an array, or a list of small ones), during backward only
    t._counter = None  # its storage's Version, once it has one (``counter``)
    t._inputs = inputs  # a recorded tensor's inputs, until backward frees them
    t._view = None  # on a view: (its base tensor, the function that takes the view of an array)
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

