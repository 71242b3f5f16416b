"""Function forms of the tensor ops, as ``torch.nn.functional`` and ``torch.*`` spell them.

``F.relu(x)`` is ``x.relu()``: the table's elementwise ops (``exp``, ``relu``,
``maximum`` …) are generated from ``graphlab.ops`` (``TABLE_FUNCTIONS``, also
exported by ``graphlab.tensor``); ops with several tensor inputs (``cat``,
``stack``, ``where``, ``pad``) and the structural ones are written below.
``torch.sum(x, 1)`` is ``x.sum(1)``: ``METHOD_FUNCTIONS`` are the methods that
PyTorch also offers as functions, each calling the method.
"""

from __future__ import annotations

from typing import Any

from graphlab import methods
from graphlab.tensor import elementwise, linalg
from graphlab.tensor.conv import conv2d
from graphlab.tensor.dropout import dropout
from graphlab.tensor.embedding import embedding
from graphlab.tensor.pool import avg_pool2d, max_pool2d
from graphlab.tensor.shape import cat, concatenate, pad, split, stack, where
from graphlab.tensor.tensor import Tensor


def pow(x: Tensor, exponent: Any) -> Tensor:
    """``x ** exponent``: ``pow`` for a number, ``pow_var`` for a tensor exponent."""
    return x ** exponent


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """``input @ other`` (``torch.matmul(input=…, other=…)`` as PyTorch names the arguments)."""
    return linalg.matmul(input, other)


def clamp(x: Tensor, min: float | None = None, max: float | None = None) -> Tensor: return x.clamp(min, max)
def softmax(x: Tensor, dim: int = -1) -> Tensor: return x.softmax(dim)
def log_softmax(x: Tensor, dim: int = -1) -> Tensor: return x.log_softmax(dim)
def logsumexp(x: Tensor, dim: Any, keepdim: bool = False) -> Tensor: return x.logsumexp(dim, keepdim)


clip = clamp

TABLE_FUNCTIONS = {name: function for name, function in methods.generate(
    lambda op: op.functions, elementwise.unary_function, elementwise.binary_function, ("input", "other"),
    operators=False).items() if name not in globals()}
"""The functions generated from the ops table (``pow`` is written above: it picks pow or pow_var)."""

globals().update(TABLE_FUNCTIONS)


def _calling(method: str):
    def function(input: Tensor, *args: Any, **kwargs: Any) -> Any:
        return getattr(input, method)(*args, **kwargs)
    function.__name__ = function.__qualname__ = method
    function.__doc__ = f"``input.{method}(…)``, as ``torch.{method}`` spells it."
    return function


def _extreme(method: str, pairwise: str):
    """``torch.max(x)``, ``torch.max(x, dim)``, and ``torch.max(a, b)`` (``maximum``)."""
    def function(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
        if isinstance(dim, Tensor):
            return TABLE_FUNCTIONS[pairwise](input, dim)
        return getattr(input, method)(dim, keepdim)
    function.__name__ = function.__qualname__ = method
    function.__doc__ = f"``input.{method}(dim)``, or ``{pairwise}(input, other)`` of two tensors, as ``torch.{method}``."
    return function


METHOD_FUNCTIONS = {name: _calling(name) for name in (
    "sum", "mean", "prod", "std", "var", "argmax", "argmin", "amax", "amin", "mm", "dot", "t", "transpose",
    "reshape", "flatten", "squeeze", "unsqueeze", "permute", "clone", "numel", "norm", "all", "any", "eq", "ne",
    "lt", "le", "gt", "ge", "equal", "allclose", "chunk", "unbind", "masked_fill", "is_floating_point", "detach",
    "add", "sub", "mul", "div", "true_divide", "multiply", "subtract", "divide")}
"""``torch.sum(x, dim)`` and the rest: PyTorch's functions that are its methods called on their first input."""
METHOD_FUNCTIONS.update(max=_extreme("max", "maximum"), min=_extreme("min", "minimum"))

__all__ = ["METHOD_FUNCTIONS", "avg_pool2d", "cat", "clamp", "clip", "concatenate", "conv2d", "dropout", "embedding",
           "log_softmax", "logsumexp", "matmul", "max_pool2d", "pad", "pow", "softmax", "split", "stack", "where"]
__all__ += sorted(TABLE_FUNCTIONS)
