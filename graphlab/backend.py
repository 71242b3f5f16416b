"""Array backends, chosen in one place: NumPy (``"cpu"``), CuPy (``"cuda"``), and a strict stand-in.

The tensor engine never imports NumPy or CuPy in an op. Each op receives
``backend.xp``, a namespace with the array-API names the operations table and
the structural ops call (``exp``, ``where``, ``matmul``, ``sum``, ``concat`` …),
plus the few helpers whose spelling differs between libraries
(``astype``, ``scatter_add``, ``matrix_transpose``, ``as_strided``, ``below``, ``bounds``), and ``chunk_elements``: how
many elements a large temporary (convolution's columns) holds at a time. On the
CPU that is a cache's worth, so a chunk stays in cache; on a GPU each chunk
costs a round of kernel launches, so a chunk is as large as memory allows.

``"array_api_strict"`` is a CPU backend for tests: its arrays live on a virtual
device that refuses to be copied to NumPy, and its functions reject NumPy-only
spellings, so an op that quietly calls NumPy fails there as it would on CuPy.

``import graphlab`` imports neither CuPy nor SciPy: the CUDA backend is built
the first time a tensor asks for ``"cuda"``, SciPy's ``erf`` on first use.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import numpy

DTYPES = ("float32", "float64", "int64", "bool")
"""The dtypes a tensor can have, as PyTorch names them."""

_ELEMENTWISE = ("exp", "expm1", "log", "log1p", "abs", "sign", "sin", "cos", "tanh",
                "maximum", "minimum", "isfinite", "isnan", "logical_and", "logical_or")
_ARRAY = ("sum", "prod", "max", "min", "mean", "argmax", "argmin", "any", "all", "matmul",
          "reshape", "expand_dims", "squeeze", "broadcast_to", "stack", "zeros", "ones",
          "full", "arange", "zeros_like", "ones_like", "float32", "float64", "int64", "bool",
          "clip", "flip")


class BackendError(RuntimeError):
    """A device that this machine cannot provide (CuPy missing, no GPU)."""


class Backend:
    """One array library: its op namespace ``xp`` and the moves between it and the host."""

    __slots__ = ("array_type", "dtype_names", "from_host", "module", "name", "owns", "to_host", "xp")

    def __init__(self, name: str, xp: SimpleNamespace, module: Any, array_type: type, to_host, from_host,
                 owns):
        self.name = name
        self.xp = xp
        self.module = module
        self.array_type = array_type
        self.to_host = to_host  # backend array -> numpy.ndarray
        self.from_host = from_host  # numpy.ndarray -> backend array
        self.owns = owns  # is this array a fresh buffer that nothing else refers to?
        self.dtype_names = {getattr(xp, n): n for n in DTYPES}
        self.dtype_names.update({xp.zeros((), dtype=getattr(xp, n)).dtype: n for n in DTYPES})  # as arrays report them

    def dtype(self, name: str) -> Any:
        """The library's dtype object for ``"float32"``, ``"float64"``, ``"int64"`` or ``"bool"``."""
        if name not in DTYPES:
            raise TypeError(f"dtype {name!r} is not one of {', '.join(DTYPES)}")
        return getattr(self.xp, name)

    def dtype_name(self, dtype: Any) -> str:
        return self.dtype_names.get(dtype) or str(dtype).rsplit(".", 1)[-1]

    def asarray(self, data: Any, dtype: str | None = None, copy: bool = False) -> Any:
        """``data`` (nested lists, numbers, a NumPy or backend array) as an array of this backend.

        Without ``dtype``, PyTorch's rule: Python floats become float32, arrays keep
        float32/float64, integers become int64.
        """
        if self.is_array(data):
            converted = data if dtype is None else self.xp.astype(data, self.dtype(dtype))
            return self.xp.copy(converted) if copy and converted is data else converted
        host = numpy.asarray(data)
        if dtype is None:
            dtype = _default_dtype(host, keep_float=isinstance(data, (numpy.ndarray, numpy.generic)))
        elif dtype not in DTYPES:
            self.dtype(dtype)  # raises, naming the dtypes there are
        return self.from_host(numpy.array(host, dtype=dtype))

    def is_array(self, data: Any) -> bool:
        return isinstance(data, self.array_type)

    def __repr__(self) -> str:
        return f"Backend({self.name!r})"


def _default_dtype(host: numpy.ndarray, keep_float: bool) -> str:
    kind = host.dtype.kind
    if kind == "f":
        return host.dtype.name if keep_float and host.dtype.name in ("float32", "float64") else "float32"
    if kind == "b":
        return "bool"
    if kind in "iu":
        return "int64"
    raise TypeError(f"cannot make a tensor from {host.dtype} data: expected numbers or booleans")


def _scalar_safe(fn, scalar_fn):
    """``fn`` that also takes a Python number (``xp.sqrt(2.0)`` in the table's GELU)."""
    def call(x):
        return scalar_fn(x) if isinstance(x, (int, float)) else fn(x)
    return call


def _lazy_scipy_erf(x):
    from scipy.special import erf

    _NUMPY_NS.erf = erf
    return erf(x)


CPU_CHUNK_ELEMENTS = 1 << 18  # 1 MiB of float32: columns built a few images at a time stay in cache
GPU_CHUNK_ELEMENTS = 1 << 27  # 512 MiB of float32: a whole batch at a time


def _namespace(module: Any, **overrides: Any) -> SimpleNamespace:
    # ``bool_`` where a library predates NumPy 2's ``bool`` (older CuPy)
    names = {n: getattr(module, n) if hasattr(module, n) else getattr(module, n + "_")
             for n in _ELEMENTWISE + _ARRAY}
    names["pi"] = math.pi
    names["sqrt"] = _scalar_safe(module.sqrt, math.sqrt)
    names["chunk_elements"] = CPU_CHUNK_ELEMENTS
    names.update(overrides)
    xp = SimpleNamespace(**names)
    xp.bounds = _bounds(xp)
    return xp


def _indicator_where(where):
    """``where`` that returns the condition itself for ``where(c, 1.0, 0.0)``.

    The table writes relu' as ``xp.where(a > 0, 1.0, 0.0)``; NumPy would build a
    float64 array and the engine would cast it back. A boolean array multiplies
    the gradient to the same numbers in one pass.
    """
    def call(condition, x, y):
        if x.__class__ is float and y.__class__ is float and x == 1.0 and y == 0.0:
            return condition
        return where(condition, x, y)
    return call


def _index(array, key):
    return array[key]


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


def _element_strides(x, strides: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(stride * x.itemsize for stride in strides)


def _numpy_as_strided(x, shape: tuple[int, ...], strides: tuple[int, ...]):
    """A read-only view of ``x``, read in C order, with ``strides`` counted in elements."""
    x = numpy.ascontiguousarray(x)
    return numpy.lib.stride_tricks.as_strided(x, shape, _element_strides(x, strides), writeable=False)


def _bounds(xp: SimpleNamespace):
    """``bounds(array)``: the smallest and largest entry of a non-empty integer array, as ints."""
    def call(array):
        return int(xp.min(array)), int(xp.max(array))
    return call


def _below_by_bounds(bounds):
    """``below(array, stop)``: whether every entry of a non-empty integer array lies in [0, stop)."""
    def call(array, stop):
        low, high = bounds(array)
        return low >= 0 and high < stop
    return call


def _below_unsigned(largest, unsigned):
    """``below`` in one reduction (``largest`` over all axes): read as unsigned, a negative int64
    exceeds every stop below 2**63, so the largest entry alone says whether all lie in [0, stop).
    Index checks run on every loss and embedding call, where a reduction's set-up costs more than
    its arithmetic on a batch of labels."""
    def call(array, stop):
        return int(largest(array.view(unsigned), axis=None)) < stop
    return call


def _numpy_ones(shape, dtype=None):
    """``numpy.ones`` without its Python-level body (``empty``, then ``copyto`` of a Python 1): every
    backward() seeds its walk with one, and that body costs more than the array."""
    ones = numpy.empty(shape, dtype)
    ones.fill(1)
    return ones


def _numpy_scatter_add(target, key, values):
    if values.__class__ in (int, float):
        values = target.dtype.type(values)  # add.at takes a slow path for a value it must cast: 3× the time
    numpy.add.at(target, key, values)


_NUMPY_NS = _namespace(
    numpy, sum=_float_sum, max=_whole_reduce(numpy.maximum), min=_whole_reduce(numpy.minimum),
    pow=numpy.power, erf=_lazy_scipy_erf, concat=numpy.concatenate,
    permute_dims=numpy.transpose, astype=lambda x, dtype: x.astype(dtype, copy=False),
    matrix_transpose=operator.methodcaller("swapaxes", -1, -2), scatter_add=_numpy_scatter_add,
    cumulative_prod=numpy.cumprod, where=_indicator_where(numpy.where), copy=numpy.array, index=_index,
    ones=_numpy_ones, as_strided=_numpy_as_strided, below=_below_unsigned(numpy.maximum.reduce, numpy.uint64))


def _numpy_backend() -> Backend:
    # A NumPy scalar (what ufuncs return for 0-d inputs) is not "owned": it gets copied into a
    # writable 0-d array before it becomes a .grad that optimizers update in place.
    return Backend("cpu", _NUMPY_NS, numpy, numpy.ndarray, to_host=lambda a: a, from_host=lambda a: a,
                   owns=lambda a: a.base is None and a.__class__ is numpy.ndarray)


def _cupy_backend() -> Backend:
    try:
        import cupy
    except ImportError:
        raise BackendError("device 'cuda' needs CuPy and an NVIDIA GPU: pip install cupy-cuda12x "
                           "(CuPy is not installed)") from None
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except cupy.cuda.runtime.CUDARuntimeError as error:  # no driver, or a broken one
        raise BackendError(f"device 'cuda' needs an NVIDIA GPU: CuPy is installed but CUDA "
                           f"reports {error}") from None
    if count == 0:
        raise BackendError("device 'cuda' needs an NVIDIA GPU: CuPy is installed but no GPU was found")
    import cupyx.scipy.special

    def as_strided(x, shape, strides):
        x = cupy.ascontiguousarray(x)
        return cupy.lib.stride_tricks.as_strided(x, shape, _element_strides(x, strides))

    xp = _namespace(
        cupy, pow=cupy.power, erf=cupyx.scipy.special.erf, concat=cupy.concatenate,
        permute_dims=cupy.transpose, astype=lambda x, dtype: x.astype(dtype, copy=False),
        matrix_transpose=lambda x: x.swapaxes(-1, -2), scatter_add=cupy.add.at,
        cumulative_prod=cupy.cumprod, where=_indicator_where(cupy.where), copy=cupy.array, index=_index,
        as_strided=as_strided, below=_below_unsigned(cupy.max, cupy.uint64), chunk_elements=GPU_CHUNK_ELEMENTS)
    return Backend("cuda", xp, cupy, cupy.ndarray, to_host=cupy.asnumpy, from_host=cupy.asarray,
                   owns=lambda a: a.base is None)


def _strict_backend() -> Backend:
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

    xp = _namespace(
        strict, pow=strict.pow, erf=erf, concat=strict.concat, permute_dims=strict.permute_dims,
        astype=lambda x, dtype: strict.astype(x, dtype, copy=False),
        matrix_transpose=strict.matrix_transpose, scatter_add=scatter_add,
        copy=lambda x: strict.asarray(x, copy=True), index=index, as_strided=as_strided,
        cumulative_prod=lambda x, axis: strict.cumulative_prod(x, axis=axis), where=where,
        zeros=lambda shape, dtype=None: strict.zeros(shape, dtype=dtype, device=device),
        ones=lambda shape, dtype=None: strict.ones(shape, dtype=dtype, device=device),
        full=lambda shape, value, dtype=None: strict.full(shape, value, dtype=dtype, device=device),
        arange=lambda *args, dtype=None: strict.arange(*args, dtype=dtype, device=device))
    xp.below = _below_by_bounds(xp.bounds)
    return Backend("array_api_strict", xp, strict, array_type,
                   to_host=lambda a: numpy.asarray(a.to_device(cpu)),
                   from_host=lambda a: strict.asarray(a, device=device),
                   owns=lambda a: False)


_FACTORIES = {"cpu": _numpy_backend, "cuda": _cupy_backend, "array_api_strict": _strict_backend}
_BACKENDS: dict[str, Backend] = {}
_default = "cpu"


def get_backend(device: str | Backend | None = None) -> Backend:
    """The backend for ``device`` (``"cpu"``, ``"cuda"``, ``"cuda:0"``, ``"array_api_strict"``)."""
    if isinstance(device, Backend):
        return device
    name = _default if device is None else str(device).split(":", 1)[0]
    backend = _BACKENDS.get(name)
    if backend is None:
        if name not in _FACTORIES:
            raise ValueError(f"unknown device {device!r}: expected 'cpu', 'cuda' or 'array_api_strict'")
        backend = _BACKENDS[name] = _FACTORIES[name]()
    return backend


@contextmanager
def default_device(device: str) -> Iterator[Backend]:
    """Create tensors on ``device`` when no ``device=`` is given (tests run a suite per backend)."""
    global _default
    backend = get_backend(device)
    previous, _default = _default, backend.name
    try:
        yield backend
    finally:
        _default = previous
