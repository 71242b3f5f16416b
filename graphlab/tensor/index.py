"""Indexing: ``x[key]`` with basic slicing and integer-array (advanced) indexing.

Backward scatters the gradient into zeros of the input's shape. Basic keys pick
each element at most once, so plain assignment is exact; array keys may repeat
an index, so their gradient goes through the backend's scatter-add
(``numpy.add.at``, ``cupyx.scatter_add``), which sums repeats. ``x[idx] += v``
would keep only one of the repeats.
"""

from __future__ import annotations

import operator
from typing import Any

from graphlab.tensor.function import Function
from graphlab.tensor.tensor import Tensor


class GetItem(Function):
    __slots__ = ("advanced", "key", "picked_shape", "shape")
    saved = ("key",)
    name = "getitem"

    @property
    def label(self) -> str:
        return "[·]"

    def forward(self, x, key, advanced):
        self.shape, self.key, self.advanced = tuple(x.shape), key, advanced
        out = self.xp.index(x, key)
        if not advanced and any(part is None for part in key):
            # New axes cannot be assigned through; backward writes into x[key without None].
            self.key = tuple(part for part in key if part is not None)
            self.picked_shape = tuple(x[self.key].shape)
        else:
            self.picked_shape = None
        return out

    def backward(self, grad):
        xp = self.xp
        full = xp.zeros(self.shape, dtype=grad.dtype)
        if self.advanced:
            xp.scatter_add(full, self.key, grad)
        else:
            full[self.key] = grad if self.picked_shape is None else xp.reshape(grad, self.picked_shape)
        return (full,)


def getitem(x: Tensor, key: Any) -> Tensor:
    key, advanced = normalize_key(key, x)
    return GetItem.apply(x, key=key, advanced=advanced)


def normalize_key(key: Any, x: Tensor) -> tuple[tuple, bool]:
    """The key with tensors and lists turned into backend arrays; ``advanced`` if any is an array."""
    backend = x._backend
    parts = key if isinstance(key, tuple) else (key,)
    out, advanced = [], False
    for part in parts:
        if isinstance(part, Tensor):
            part, advanced = part.data, True
        elif isinstance(part, (list, tuple)) or (hasattr(part, "shape") and not backend.is_array(part)
                                                  and getattr(part, "ndim", 0) > 0):
            part, advanced = backend.asarray(part), True
        elif backend.is_array(part):
            advanced = True
        elif part is None or part is Ellipsis or isinstance(part, slice):
            pass
        elif isinstance(part, bool):  # not an int here: NumPy and PyTorch read True as a new axis
            raise IndexError(f"x[...]: cannot index with {part!r}; use None for a new axis or a bool "
                             "tensor as a mask")
        else:
            try:
                part = operator.index(part)
            except TypeError:
                raise IndexError(f"x[...]: cannot index with {type(part).__name__} {part!r}; expected "
                                 "ints, slices, None, ..., or integer arrays/tensors") from None
        out.append(part)
    whole_mask = len(out) == 1 and advanced and backend.dtype_name(out[0].dtype) == "bool" \
        and out[0].ndim == x.ndim
    if not whole_mask and not any(part is Ellipsis for part in out):
        out.append(Ellipsis)  # what NumPy does implicitly; the array API wants it spelled out
    return tuple(out), advanced
