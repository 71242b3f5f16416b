"""A strict stand-in backend for tests: ``array_api_strict`` on a device NumPy cannot read.

Its arrays refuse to be copied to NumPy, and its functions reject NumPy-only
spellings, so an op that quietly calls NumPy fails here as it would on CuPy.
The test suite runs every op on it.
"""

from __future__ import annotations

import math

import numpy

from graphlab.backend.base import Backend, BackendError, below_by_bounds, namespace


def backend() -> Backend:
    import array_api_strict as strict

    array_type = type(strict.asarray(0.0))
    device = strict.Device("device1")  # a device NumPy cannot read: host copies fail loudly
    cpu = strict.Device("CPU_DEVICE")

    def where(condition, x, y):
        if isinstance(x, (int, float)) and isinstance(y, (int, float)):
            x = strict.asarray(float(x), dtype=strict.float64, device=condition.device)
        return strict.where(condition, x, y)

    def index(array, key):
        """``array[key]``; one index array on the first axis becomes ``take`` (the standard's spelling)."""
        arrays = [k for k in key if isinstance(k, array_type)]
        rest = key[1:]
        if (len(arrays) == 1 and key[0] is arrays[0] and arrays[0].dtype != strict.bool
                and all(k is Ellipsis or k == slice(None) for k in rest)):
            picks = key[0]
            flat = strict.take(array, strict.reshape(picks, (-1,)), axis=0)
            return strict.reshape(flat, tuple(picks.shape) + tuple(array.shape[1:]))
        if arrays:
            key = tuple(k for k in key if k is not Ellipsis)
        return array[key]

    def scatter_add(target, key, values):
        """Add ``values`` (one, or one per position) at ``target[key]``, repeated indices included, without NumPy."""
        size = math.prod(target.shape)
        positions = index(strict.reshape(strict.arange(size, device=target.device), target.shape), key)
        if not isinstance(values, array_type):
            values = strict.asarray(values, dtype=target.dtype, device=target.device)
        values = strict.broadcast_to(values, positions.shape)  # a single value added at every position, as add.at
        positions = strict.reshape(positions, (-1,))
        onehot = strict.astype(positions[:, None] == strict.arange(size, device=target.device)[None, :],
                               values.dtype)
        added = strict.matmul(strict.reshape(values, (1, -1)), onehot)
        target[...] = target + strict.reshape(added, target.shape)

    def as_strided(x, shape, strides):
        """The strided view's elements gathered by their positions in ``x`` read in C order (a copy)."""
        positions = strict.zeros(shape, dtype=strict.int64, device=x.device)
        for axis, (size, stride) in enumerate(zip(shape, strides)):
            steps = strict.arange(size, dtype=strict.int64, device=x.device) * stride
            positions = positions + strict.reshape(steps, (1,) * axis + (size,) + (1,) * (len(shape) - axis - 1))
        picked = strict.take(strict.reshape(x, (-1,)), strict.reshape(positions, (-1,)))
        return strict.reshape(picked, shape)

    def erf(x):
        raise BackendError("erf (exact GELU) is not available on array_api_strict; "
                           "use gelu(approximate='tanh') there")

    def assign(target, key, values):
        """``target[key] = values``; with index arrays (which the standard's ``__setitem__`` refuses) each
        position takes the last value written to it, as NumPy's assignment does."""
        arrays = [k for k in key if isinstance(k, array_type)]
        if not arrays:
            target[key] = values
            return
        if len(key) == 1 and arrays[0].dtype == strict.bool:  # a whole mask: the one array, not a tuple of it
            target[key[0]] = values
            return
        size = math.prod(target.shape)
        positions = strict.reshape(index(strict.reshape(strict.arange(size, device=target.device), target.shape),
                                         key), (-1,))
        if not isinstance(values, array_type):
            values = strict.asarray(values, dtype=target.dtype, device=target.device)
        values = strict.reshape(strict.broadcast_to(values, index(target, key).shape), (-1,))
        hits = positions[:, None] == strict.arange(size, device=target.device)[None, :]
        writer = strict.arange(positions.shape[0], device=target.device)[:, None]
        last = strict.max(strict.where(hits, writer, -1), axis=0)
        picked = strict.take(values, strict.where(last < 0, 0, last))
        flat = strict.where(last >= 0, strict.astype(picked, target.dtype), strict.reshape(target, (-1,)))
        target[...] = strict.reshape(flat, target.shape)

    def shares_memory(a, b):
        return numpy.shares_memory(a._array, b._array)

    def may_share_memory(a, b):
        return numpy.may_share_memory(a._array, b._array)

    xp = namespace(
        strict, pow=strict.pow, erf=erf, concat=strict.concat, permute_dims=strict.permute_dims,
        astype=lambda x, dtype: strict.astype(x, dtype, copy=False),
        matrix_transpose=strict.matrix_transpose, scatter_add=scatter_add,
        copy=lambda x: strict.asarray(x, copy=True), index=index, as_strided=as_strided,
        cumulative_prod=lambda x, axis: strict.cumulative_prod(x, axis=axis), where=where,
        zeros=lambda shape, dtype=None: strict.zeros(shape, dtype=dtype, device=device),
        ones=lambda shape, dtype=None: strict.ones(shape, dtype=dtype, device=device),
        full=lambda shape, value, dtype=None: strict.full(shape, value, dtype=dtype, device=device),
        arange=lambda *args, dtype=None: strict.arange(*args, dtype=dtype, device=device),
        shares_memory=shares_memory, may_share_memory=may_share_memory, assign=assign,
        c_contiguous=lambda a: bool(a._array.flags.c_contiguous))
    xp.below = below_by_bounds(xp.bounds)
    return Backend("array_api_strict", xp, strict, array_type,
                   to_host=lambda a: numpy.asarray(a.to_device(cpu)),
                   from_host=lambda a: strict.asarray(a, device=device),
                   owns=lambda a: False)
