"""What every backend is: a ``Backend`` (an array namespace ``xp`` and the moves to and from the host),
and the pieces of ``xp`` that all array libraries build the same way.

``xp`` has the array-API names the operations table and the structural ops
call (``exp``, ``where``, ``matmul``, ``sum``, ``concat`` …), plus the few
helpers whose spelling differs between libraries (``astype``, ``scatter_add``,
``matrix_transpose``, ``as_strided``, ``below``, ``bounds``, ``assign`` (``a[key] = v``),
``c_contiguous``, ``shares_memory`` and ``may_share_memory``, which say whether two
arrays are views of one buffer), and
``chunk_elements``: how many elements a large temporary (convolution's columns)
holds at a time. On the CPU that is a cache's worth, so a chunk stays in
cache; on a GPU each chunk costs a round of kernel launches, so a chunk is as
large as memory allows.
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy

DTYPES = ("float32", "float64", "int64", "bool")
"""The dtypes a tensor can have, as PyTorch names them."""

CPU_CHUNK_ELEMENTS = 1 << 18  # 1 MiB of float32: columns built a few images at a time stay in cache
GPU_CHUNK_ELEMENTS = 1 << 27  # 512 MiB of float32: a whole batch at a time

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


def namespace(module: Any, **overrides: Any) -> SimpleNamespace:
    """``xp`` for an array library: its own functions under the shared names, then ``overrides``."""
    # ``bool_`` where a library predates NumPy 2's ``bool`` (older CuPy)
    names = {n: getattr(module, n) if hasattr(module, n) else getattr(module, n + "_")
             for n in _ELEMENTWISE + _ARRAY}
    names["pi"] = math.pi
    names["sqrt"] = _scalar_safe(module.sqrt, math.sqrt)
    names["chunk_elements"] = CPU_CHUNK_ELEMENTS
    names["assign"] = assign
    names["c_contiguous"] = c_contiguous
    names.update(overrides)
    xp = SimpleNamespace(**names)
    xp.bounds = _bounds(xp)
    return xp


def _scalar_safe(fn, scalar_fn):
    """``fn`` that also takes a Python number (``xp.sqrt(2.0)`` in the table's GELU)."""
    def call(x):
        return scalar_fn(x) if isinstance(x, (int, float)) else fn(x)
    return call


def indicator_where(where):
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


def index(array, key):
    return array[key]


def assign(array, key, values):
    """``array[key] = values``: where several positions of an index array repeat, the last value stays."""
    array[key] = values


def c_contiguous(array) -> bool:
    """Whether the array's elements lie in memory row after row (a transpose's do not)."""
    return bool(array.flags.c_contiguous)


def element_strides(x, strides: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(stride * x.itemsize for stride in strides)


def _bounds(xp: SimpleNamespace):
    """``bounds(array)``: the smallest and largest entry of a non-empty integer array, as ints."""
    def call(array):
        return int(xp.min(array)), int(xp.max(array))
    return call


def below_by_bounds(bounds):
    """``below(array, stop)``: whether every entry of a non-empty integer array lies in [0, stop)."""
    def call(array, stop):
        low, high = bounds(array)
        return low >= 0 and high < stop
    return call


def below_unsigned(largest, unsigned):
    """``below`` in one reduction (``largest`` over all axes): read as unsigned, a negative int64
    exceeds every stop below 2**63, so the largest entry alone says whether all lie in [0, stop).
    Index checks run on every loss and embedding call, where a reduction's set-up costs more than
    its arithmetic on a batch of labels."""
    def call(array, stop):
        return int(largest(array.view(unsigned), axis=None)) < stop
    return call
