"""Function forms of the tensor ops, as ``torch.nn.functional`` and ``torch.*`` spell them.

``F.relu(x)`` is ``x.relu()``: the table's elementwise ops (``exp``, ``relu``,
``maximum`` …) are generated from ``graphlab.ops`` (``TABLE_FUNCTIONS``, also
exported by ``graphlab.tensor``); ops with several tensor inputs (``cat``,
``stack``, ``where``, ``pad``) and the structural ones are written below.
"""

from __future__ import annotations

from typing import Any

from graphlab import methods
from graphlab.tensor import elementwise
from graphlab.tensor.conv import conv2d
from graphlab.tensor.dropout import dropout
from graphlab.tensor.embedding import embedding
from graphlab.tensor.linalg import matmul
from graphlab.tensor.pool import avg_pool2d, max_pool2d
from graphlab.tensor.shape import cat, concatenate, pad, split, stack, where
from graphlab.tensor.tensor import Tensor


def pow(x: Tensor, exponent: Any) -> Tensor:
    """``x ** exponent``: ``pow`` for a number, ``pow_var`` for a tensor exponent."""
    return x ** exponent


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

__all__ = ["avg_pool2d", "cat", "clamp", "clip", "concatenate", "conv2d", "dropout", "embedding", "log_softmax",
           "logsumexp", "matmul", "max_pool2d", "pad", "pow", "softmax", "split", "stack", "where"]
__all__ += sorted(TABLE_FUNCTIONS)
