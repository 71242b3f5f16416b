"""The CPU backend: NumPy, with faster paths where its Python wrappers cost more than small arrays' work."""

from __future__ import annotations

import operator

import numpy

from graphlab.backend.base import Backend, below_unsigned, element_strides, index, indicator_where, namespace


def _lazy_scipy_erf(x):
    from scipy.special import erf

    _XP.erf = erf
    return erf(x)


def _float_sum(x, axis=None, keepdims=False):
    """``numpy.sum`` through ``add.reduce`` for float arrays.

    The ``numpy.sum`` wrapper costs microseconds of Python per call, more than
    the reduction of a small array; other dtypes keep its promotion rules
    (booleans and small integers are summed as int64).
    """
    if x.dtype.kind == "f":
        return numpy.add.reduce(x, axis=axis, keepdims=keepdims)
    return numpy.sum(x, axis=axis, keepdims=keepdims)


def _whole_reduce(ufunc):
    """``numpy.max``/``min`` through the ufunc's own reduce (no dtype promotes), over all axes by default."""
    reduce = ufunc.reduce

    def call(x, axis=None, keepdims=False):
        return reduce(x, axis=axis, keepdims=keepdims)
    return call


def _as_strided(x, shape: tuple[int, ...], strides: tuple[int, ...]):
    """A read-only view of ``x``, read in C order, with ``strides`` counted in elements."""
    x = numpy.ascontiguousarray(x)
    return numpy.lib.stride_tricks.as_strided(x, shape, element_strides(x, strides), writeable=False)


def _ones(shape, dtype=None):
    """``numpy.ones`` without its Python-level body (``empty``, then ``copyto`` of a Python 1): every
    backward() seeds its walk with one, and that body costs more than the array."""
    ones = numpy.empty(shape, dtype)
    ones.fill(1)
    return ones


def _scatter_add(target, key, values):
    if values.__class__ in (int, float):
        values = target.dtype.type(values)  # add.at takes a slow path for a value it must cast: 3× the time
    numpy.add.at(target, key, values)


_XP = namespace(
    numpy, sum=_float_sum, max=_whole_reduce(numpy.maximum), min=_whole_reduce(numpy.minimum),
    pow=numpy.power, erf=_lazy_scipy_erf, concat=numpy.concatenate,
    permute_dims=numpy.transpose, astype=lambda x, dtype: x.astype(dtype, copy=False),
    matrix_transpose=operator.methodcaller("swapaxes", -1, -2), scatter_add=_scatter_add,
    cumulative_prod=numpy.cumprod, where=indicator_where(numpy.where), copy=numpy.array, index=index,
    ones=_ones, as_strided=_as_strided, below=below_unsigned(numpy.maximum.reduce, numpy.uint64),
    shares_memory=numpy.shares_memory, may_share_memory=numpy.may_share_memory)


def backend() -> Backend:
    # A NumPy scalar (what ufuncs return for 0-d inputs) is not "owned": it gets copied into a
    # writable 0-d array before it becomes a .grad that optimizers update in place.
    return Backend("cpu", _XP, numpy, numpy.ndarray, to_host=lambda a: a, from_host=lambda a: a,
                   owns=lambda a: a.base is None and a.__class__ is numpy.ndarray)
