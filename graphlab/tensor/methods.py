"""``Tensor``'s methods that compute: each op's method, put on the class at import.

``tensor.py`` says what a tensor is and holds, and imports no op; the ops
import it. The methods that run an op therefore live here, above both, and
``graphlab.tensor`` imports this module before anything else can use a tensor:

* the elementwise ops of the table (``exp``, ``relu``, ``+`` and ``*`` …) are
  generated from ``graphlab.ops`` (``graphlab.methods``), each bound directly to
  its implementation in ``elementwise``;
* the rest, written out below as they are in PyTorch, call the module that
  implements the op (``reduce``, ``shape``, ``index``, ``softmax``, ``linalg``,
  ``logical``, ``autograd``).
"""

from __future__ import annotations

from typing import Any

from graphlab import methods
from graphlab.backend import get_backend
from graphlab.tensor import autograd, elementwise, index, linalg, logical, reduce, softmax
from graphlab.tensor import shape as shape_ops
from graphlab.tensor.tensor import Tensor


class _Written:
    """The methods written out by hand (this class only holds them; they go on ``Tensor``)."""

    # -- autograd ---------------------------------------------------------------------------------

    def backward(self, gradient: Any = None, retain_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf) × ``gradient`` into every leaf's ``.grad`` (frees the graph)."""
        autograd.backward(self, gradient, retain_graph)

    # -- device and dtype -------------------------------------------------------------------------

    def to(self, target: str, dtype: str | None = None) -> Tensor:
        """A copy on another device (``"cuda"``, ``"cpu"``) or of another dtype; differentiable."""
        if target in ("float32", "float64", "int64", "bool"):
            return shape_ops.convert(self, self._backend, target)
        return shape_ops.convert(self, get_backend(target), dtype)

    def cpu(self) -> Tensor:
        return self.to("cpu")

    def cuda(self) -> Tensor:
        return self.to("cuda")

    def float(self) -> Tensor:
        return self.to("float32")

    def double(self) -> Tensor:
        return self.to("float64")

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


_CLASS_ITSELF = {"__module__", "__qualname__", "__doc__", "__dict__", "__weakref__", "__firstlineno__",
                 "__static_attributes__", "__hash__"}  # __hash__: None here, since __eq__ is; Tensor keeps its own

for _name, _method in vars(_Written).items():
    if _name not in _CLASS_ITSELF:
        if hasattr(_method, "__qualname__"):
            _method.__qualname__ = f"Tensor.{_name}"
        setattr(Tensor, _name, _method)

methods.install(Tensor, methods.generate(lambda op: op.functions, elementwise.unary_function,
                                         elementwise.binary_function, ("self", "other")))
