"""Function forms of the tensor ops, as ``torch.nn.functional`` and ``torch.*`` spell them.

``F.relu(x)`` is ``x.relu()``; ops with several tensor inputs (``cat``, ``stack``,
``where``, ``pad``) live only here.
"""

from __future__ import annotations

from typing import Any

from graphlab.ops import OPS
from graphlab.tensor import elementwise
from graphlab.tensor.conv import conv2d
from graphlab.tensor.dropout import dropout
from graphlab.tensor.embedding import embedding
from graphlab.tensor.linalg import matmul
from graphlab.tensor.pool import avg_pool2d, max_pool2d
from graphlab.tensor.shape import cat, concatenate, pad, split, stack, where
from graphlab.tensor.tensor import Tensor


def exp(x: Tensor) -> Tensor: return x.exp()
def log(x: Tensor) -> Tensor: return x.log()
def sqrt(x: Tensor) -> Tensor: return x.sqrt()
def abs(x: Tensor) -> Tensor: return x.abs()
def square(x: Tensor) -> Tensor: return x.square()
def reciprocal(x: Tensor) -> Tensor: return x.reciprocal()
def sin(x: Tensor) -> Tensor: return x.sin()
def cos(x: Tensor) -> Tensor: return x.cos()
def sigmoid(x: Tensor) -> Tensor: return x.sigmoid()
def tanh(x: Tensor) -> Tensor: return x.tanh()
def relu(x: Tensor) -> Tensor: return x.relu()
def selu(x: Tensor) -> Tensor: return x.selu()
def softplus(x: Tensor) -> Tensor: return x.softplus()
def leaky_relu(x: Tensor, slope: float = 0.01) -> Tensor: return x.leaky_relu(slope)
def elu(x: Tensor, alpha: float = 1.0) -> Tensor: return x.elu(alpha)
def silu(x: Tensor, beta: float = 1.0) -> Tensor: return x.silu(beta)
def gelu(x: Tensor, approximate: str = "none") -> Tensor: return x.gelu(approximate)
def pow(x: Tensor, exponent: Any) -> Tensor: return x ** exponent
def clamp(x: Tensor, min: float | None = None, max: float | None = None) -> Tensor: return x.clamp(min, max)
def softmax(x: Tensor, dim: int = -1) -> Tensor: return x.softmax(dim)
def log_softmax(x: Tensor, dim: int = -1) -> Tensor: return x.log_softmax(dim)
def logsumexp(x: Tensor, dim: Any, keepdim: bool = False) -> Tensor: return x.logsumexp(dim, keepdim)


clip = clamp
swish = silu


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise max; a tie sends half the gradient to each side, as PyTorch."""
    return elementwise.binary(OPS["max"], a, b)


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise min; a tie sends half the gradient to each side, as PyTorch."""
    return elementwise.binary(OPS["min"], a, b)


__all__ = ["abs", "avg_pool2d", "cat", "clamp", "clip", "concatenate", "conv2d", "cos", "dropout", "elu",
           "embedding", "exp", "gelu", "leaky_relu", "log", "log_softmax", "logsumexp", "matmul",
           "max_pool2d", "maximum", "minimum", "pad", "pow",
           "reciprocal", "relu", "selu", "sigmoid", "silu", "sin", "softmax", "softplus", "split",
           "sqrt", "square", "stack", "swish", "tanh", "where"]
