"""The autograd node: one small class per op, forward and backward side by side.

A ``Function`` instance is a node of the graph. ``forward`` computes the output
array and saves on the node what ``backward`` needs; ``backward`` receives the
gradient of the output and returns one gradient per input (``None`` where an
input needs none). The output tensor holds the node, its inputs and its number
in recording order (``join``); nothing points back at the output, so the graph
in memory is acyclic and Python's cycle collector has nothing to walk.
``join`` is the one place where a tensor joins the graph.

``unbroadcast`` is the only place that sums a broadcast gradient back to an
input's shape.

Adding an op (elementwise ones come from ``graphlab.ops`` instead)::

    class Flip(Function):
        __slots__ = ("axis",)        # state backward needs; buffers also go in ``saved``
        name = "flip"

        def forward(self, x, axis):  # arrays in, array out; self.xp is the backend
            self.axis = axis
            return self.xp.flip(x, axis=axis)

        def backward(self, grad):    # one gradient per input, None where not needed
            return (self.xp.flip(grad, axis=self.axis),)

    y = Flip.apply(x, axis=0)        # tensors positional, parameters by keyword
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphlab import grad_mode
from graphlab.tensor import anomaly
from graphlab.tensor.tensor import counter, new_tensor

if TYPE_CHECKING:
    from graphlab.tensor.tensor import Tensor

ONE_NEEDS = {True: (True,), False: (False,)}
TWO_NEEDS = {(a, b): (a, b) for a in (True, False) for b in (True, False)}
"""``needs`` tuples, shared by every node with one or two inputs."""


class Function:
    """A recorded op: which inputs need a gradient (``needs``), and the state its backward needs."""

    __slots__ = ("needs", "xp")
    name = "function"
    """The op's name in traces and error messages."""
    saved: tuple[str, ...] = ()
    """Slots holding saved buffers, dropped by ``release()`` after backward."""
    guards: tuple = ()
    """The version counters of tensors besides its inputs whose values backward reads (an index tensor's):
    a node that may have some declares a ``guards`` slot, empties it in ``forward`` and fills it with ``guard``."""

    def forward(self, *arrays: Any, **params: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} defines no forward")

    def backward(self, grad: Any) -> tuple[Any, ...] | list[Any]:
        """One gradient per input; ``None`` (or anything: it is skipped) where ``needs`` is false."""
        raise NotImplementedError(f"{type(self).__name__} defines no backward")

    def gradients(self, out: Tensor, grad: Any) -> tuple[Any, ...] | list[Any]:
        """What backpropagation calls: ``backward``'s gradients. A node shared by many outputs
        (an elementwise op's) overrides this to read the values of the output at hand."""
        return self.backward(grad)

    @property
    def label(self) -> str:
        """What a diagram writes in the node."""
        return self.name

    @property
    def params(self) -> dict[str, Any]:
        """The op's parameters for a trace (axes, shapes, slopes …)."""
        return {}

    @classmethod
    def apply(cls, *tensors: Tensor, **params: Any) -> Tensor:
        """Run ``forward`` on the tensors' arrays and record the node if any input needs a gradient."""
        node = cls.__new__(cls)
        if len(tensors) == 1:
            x = tensors[0]
            backend = x._backend
            node.xp = backend.xp
            data = node.forward(x.data, **params)
            needs = ONE_NEEDS[x.requires_grad]
        elif len(tensors) == 2:
            a, b = tensors
            backend = a._backend
            if b._backend is not backend:
                same_backend(cls.name, tensors)  # raises, naming both devices
            node.xp = backend.xp
            data = node.forward(a.data, b.data, **params)
            needs = TWO_NEEDS[a.requires_grad, b.requires_grad]
        else:
            backend = same_backend(cls.name, tensors)
            node.xp = backend.xp
            data = node.forward(*[t.data for t in tensors], **params)
            needs = tuple(t.requires_grad for t in tensors)
        return record(node, data, backend, tensors, needs)

    def release(self) -> None:
        """Free the saved buffers (after a backward without retain_graph)."""
        for slot in self.saved:
            setattr(self, slot, None)

    def keeps(self, out: Tensor, x: Tensor) -> bool:
        """Whether backward reads the values of ``x`` (``out`` itself or one of its inputs), saved at forward."""
        array = x.data
        return any(getattr(self, slot, None) is array for slot in self.saved)


FREED = ("backward(): the graph of this tensor was already freed by an earlier backward(); "
         "pass retain_graph=True to the first backward() to go through it twice")


def as_seen(x: Tensor, seq: int) -> Tensor:
    """``x`` as the node numbered ``seq`` used it: ``x`` itself, or, where a change in place recorded since
    gave ``x`` a new history, the tensor that holds the history it had then. ``x``'s counter maps each
    new number to the old one and (weakly) the tensor that held it (``inplace.py``): the tensor asked for
    is held by the in-place node's inputs until backward goes through that node, and by the walk from
    then until its own turn, which comes after every node that used it."""
    if x._seq <= seq:
        return x
    previous = x._counter.previous
    number, held = previous[x._seq]
    while number > seq:
        number, held = previous[number]
    found = held()
    if found is None:
        raise RuntimeError(FREED)
    return found


def guard(node: Function, *tensors: Tensor) -> None:
    """Have backward check that ``tensors``, whose values ``node`` keeps besides its inputs', are unchanged."""
    node.guards = tuple(counter(t) for t in tensors)


def record(node: Function, data: Any, backend, inputs: tuple, needs: tuple[bool, ...]) -> Tensor:
    """Wrap ``data`` in the output tensor, with ``node`` as its creator when a gradient must flow."""
    if grad_mode.enabled and True in needs:
        node.needs = needs
        return join(node, data, backend, inputs)
    out = new_tensor(data, backend)
    if anomaly.enabled:
        check_forward(node, out, inputs)
    return out


def join(node: Function, data: Any, backend, inputs: tuple) -> Tensor:
    """A new tensor around ``data``, recorded as made by ``node`` from ``inputs``: the one place
    where a tensor joins the graph."""
    out = new_tensor(data, backend, node, inputs)
    if anomaly.enabled:
        check_forward(node, out, inputs)
    return out


def check_forward(node: Function, out: Tensor, inputs: tuple) -> None:
    """Anomaly mode: remember the user's line, and stop at a NaN/inf output."""
    out._where = anomaly.caller_line()
    if not anomaly.all_finite(out._backend.xp, out.data):
        out._anomaly = True
        raise anomaly.AnomalyError(node, "forward", out, inputs)


def same_backend(name: str, tensors: tuple):
    backend = tensors[0]._backend
    for t in tensors:
        if t._backend is not backend:
            raise RuntimeError(f"{name}: tensors on different devices ({backend.name} and "
                               f"{t._backend.name}); move them with .to(device) first")
    return backend


def unbroadcast(xp, grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` over the axes that broadcasting added or stretched, back to ``shape``."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra:
        grad = xp.sum(grad, axis=tuple(range(extra)))
        if grad.shape == shape:  # a bias's gradient: only leading axes were added
            return grad
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = xp.sum(grad, axis=stretched, keepdims=True)
    return grad
