"""A copy of a state dict that later training steps cannot change, to put a model or optimizer back as it was."""

from __future__ import annotations

import copy

import numpy

from graphlab.tensor import Tensor


def host_copy(value):
    """``value`` (nested dicts, lists, tuples) with every Tensor copied to a host array; the rest deep-copied.

    Tensors hold their backend (the array library itself), which ``copy.deepcopy``
    cannot copy; ``load_state_dict`` of modules and optimizers accepts host arrays.
    """
    if isinstance(value, Tensor):
        return numpy.array(value.numpy(), copy=True)
    if isinstance(value, dict):
        return {key: host_copy(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(host_copy(item) for item in value)
    return copy.deepcopy(value)
