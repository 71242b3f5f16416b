"""``&``, ``|``, ``^`` and ``~``: logical on bool tensors (masks), bitwise on integers, as in PyTorch.

They have no gradient, so like comparisons they make tensors outside the graph.
Result dtypes are PyTorch's (``promotion.py``): two masks give a mask, a mask
beside integers (a Python int included) gives int64. Float tensors are refused,
as PyTorch refuses them, rather than being cast to bool.
"""

from __future__ import annotations

import operator
from typing import Any

from graphlab.ops import DtypeClass
from graphlab.tensor.elementwise import constant_like
from graphlab.tensor.function import same_backend
from graphlab.tensor.promotion import operands
from graphlab.tensor.tensor import Tensor, new_tensor

_OPERATORS = {"&": operator.and_, "|": operator.or_, "^": operator.xor}


def bitwise(symbol: str, a: Tensor, b: Any) -> Tensor:
    """``a & b``, ``a | b`` or ``a ^ b`` (``symbol``); ``b`` may be a Python bool or int, or an array."""
    b = constant_like(b, a)
    if isinstance(b, Tensor):
        same_backend(symbol, (a, b))
    backend = a._backend
    values = (a.data, b.data if isinstance(b, Tensor) else b)
    values, wanted = operands(backend, "bitwise", DtypeClass.INTEGER, values)
    if backend.dtype_name(wanted) not in ("bool", "int64"):
        kinds = " and ".join(v.dtype if isinstance(v, Tensor) else type(v).__name__ for v in (a, b))
        raise TypeError(f"{symbol}: works on bool or integer tensors, got {kinds}; compare first "
                        "(x > 0) to make a mask")
    return new_tensor(_OPERATORS[symbol](*values), backend)


def invert(x: Tensor) -> Tensor:
    """``~x``: logical not of a mask, bitwise not of integers."""
    if x.dtype not in ("bool", "int64"):
        raise TypeError(f"~: works on bool or integer tensors, got {x.dtype}; compare first (x > 0) to make a mask")
    return new_tensor(~x.data, x._backend)
