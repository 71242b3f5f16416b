"""Indexing: ``x[key]`` with basic slicing and integer-array (advanced) indexing.

Backward scatters the gradient into zeros of the input's shape. Basic keys pick
each element at most once, so plain assignment is exact; array keys may repeat
an index, so their gradient goes through the backend's scatter-add
(``numpy.add.at``, ``cupyx.scatter_add``), which sums repeats. ``x[idx] += v``
would keep only one of the repeats.

A basic key gives a view, as in PyTorch: it shares the tensor's storage and
version counter. ``x[key] = value`` is ``SetItem`` made in place (``inplace.py``).
"""

from __future__ import annotations

import operator
from typing import Any

from graphlab.tensor.elementwise import constant_like
from graphlab.tensor.function import Function, guard, unbroadcast
from graphlab.tensor.inplace import KINDS, change
from graphlab.tensor.tensor import Tensor, as_view


class GetItem(Function):
    __slots__ = ("advanced", "guards", "key", "picked_shape", "shape")
    saved = ("key",)
    name = "getitem"

    @property
    def label(self) -> str:
        return "[·]"

    def forward(self, x, key, advanced):
        self.guards = ()  # ``guard`` fills it where a tensor besides the inputs is read
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


class SetItem(Function):
    """``x`` with ``value`` written at ``x[key]``: an assignment's out-of-place form. The written
    part's gradient goes to ``value`` (summed back to its shape), the rest to ``x``."""

    __slots__ = ("guards", "key", "value_shape")
    saved = ("key",)
    name = "setitem"

    @property
    def label(self) -> str:
        return "[·]="

    def forward(self, x, value, key):
        self.guards = ()  # ``guard`` fills it where a tensor besides the inputs is read
        self.key, self.value_shape = key, tuple(value.shape)
        out = self.xp.copy(x)
        self.xp.assign(out, key, value if value.dtype == x.dtype else self.xp.astype(value, x.dtype))
        return out

    def backward(self, grad):
        xp, key = self.xp, self.key
        rest = None
        if self.needs[0]:
            rest = xp.copy(grad)
            xp.assign(rest, key, 0)
        part = unbroadcast(xp, xp.index(grad, key), self.value_shape) if self.needs[1] else None
        return rest, part


def getitem(x: Tensor, key: Any) -> Tensor:
    tensors = key_tensors(key)
    key, advanced = normalize_key(key, x)
    out = GetItem.apply(x, key=key, advanced=advanced)
    if not advanced:
        index = x._backend.xp.index
        return as_view(out, x, lambda array: index(array, key))
    if out._ctx is not None:
        guard(out._ctx, *tensors)
    return out


def setitem(x: Tensor, key: Any, value: Any) -> None:
    """``x[key] = value``, in place; recorded where a gradient flows through it."""
    tensors = key_tensors(key)
    key, _ = normalize_key(key, x)
    if not isinstance(value, Tensor):
        value = constant_like(value, x)
    if isinstance(value, Tensor) and value._backend is not x._backend:
        raise RuntimeError(f"x[...] = value: value is on {value.device} but the tensor on {x.device}; "
                           "move it with .to(device) first")

    def assigned(old: Tensor, new: Any) -> Tensor:
        if not isinstance(new, Tensor):
            new = Tensor(new, dtype=old.dtype, device=old._backend)
        out = SetItem.apply(old, new, key=key)
        if out._ctx is not None:
            guard(out._ctx, *tensors)
        return out

    def write(array: Any) -> None:
        given = value.data if isinstance(value, Tensor) else value
        if isinstance(value, Tensor) and given.dtype != array.dtype:
            if KINDS[value.dtype] > KINDS[x.dtype]:
                raise TypeError(f"cannot write {value.dtype} values into a {x.dtype} tensor")
            given = x._backend.xp.astype(given, array.dtype)
        x._backend.xp.assign(array, key, given)

    change(x, "setitem", assigned, (value,), write)


def key_tensors(key: Any) -> tuple[Tensor, ...]:
    """The tensors among ``key``'s parts (index tensors, masks): a node that keeps them guards them."""
    return tuple(part for part in (key if isinstance(key, tuple) else (key,)) if isinstance(part, Tensor))


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
