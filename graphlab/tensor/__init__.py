"""The tensor engine: ``Tensor`` records its graph on NumPy, CuPy or the strict test backend.

PyTorch's names throughout, so that a PyTorch script runs after changing its
import lines only (``import graphlab.tensor as torch``): ``tensor``, ``zeros``,
``randn``, ``no_grad``, ``Tensor.backward``, ``exp``, ``relu``, ``torch.sum(x, 1)``,
the dtypes ``float``/``float32``, ``double``/``float64``, ``long``/``int64`` and
``bool``, ``device``, ``cuda``, ``save``/``load``, and the submodules ``nn``,
``optim``, ``autograd`` and ``utils.data`` (``graphlab.nn``, ``graphlab.optim``
and ``graphlab.data``'s loader under PyTorch's names: the same objects). A name
PyTorch has and graphlab does not is refused with a message that names it.
Functional forms are in ``graphlab.tensor.functional``. Grad mode is shared
with the scalar engine: ``graphlab.no_grad()`` and ``graphlab.tensor.no_grad()``
are one switch.
"""

import importlib

from graphlab.backend import BackendError, get_default_device, set_default_device
from graphlab.grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from graphlab.tensor import autograd
from graphlab.tensor import methods as _methods  # puts the methods that compute on Tensor
from graphlab.tensor.anomaly import AnomalyError, detect_anomaly
from graphlab.tensor.creation import (
    Generator,
    arange,
    as_tensor,
    bool_,
    empty,
    empty_like,
    eye,
    float32,
    float64,
    from_numpy,
    full,
    full_like,
    int64,
    is_tensor,
    linspace,
    manual_seed,
    normal,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from graphlab.tensor.functional import (
    METHOD_FUNCTIONS,
    TABLE_FUNCTIONS,
    cat,
    clamp,
    clip,
    concatenate,
    log_softmax,
    logsumexp,
    matmul,
    pad,
    pow,
    softmax,
    split,
    stack,
    where,
)
from graphlab.tensor.interop import from_dlpack
from graphlab.tensor.mode import name_scope as scope
from graphlab.tensor.serialization import SaveFileError, load, save
from graphlab.tensor.tensor import MinMax, Tensor, device
from graphlab.tensor.trace import TensorTrace, TensorTraceNode

globals().update(TABLE_FUNCTIONS)  # exp, log, relu, maximum … as torch.* spells them
globals().update(METHOD_FUNCTIONS)  # sum, mean, max, mm, t … : the methods PyTorch also spells as functions
globals().update(float=float32, double=float64, long=int64, bool=bool_)  # PyTorch's other names of the dtypes

del _methods


class Size(tuple):
    """``torch.Size``: a shape, which is a tuple (``x.shape`` is a plain tuple of ints in graphlab)."""

    __slots__ = ()


def set_default_dtype(dtype: str) -> None:
    """Only float32, the default already: graphlab makes Python floats float32, as PyTorch does by default."""
    if dtype != float32:
        raise RuntimeError(f"set_default_dtype({dtype!r}) is not supported by graphlab: pass dtype={dtype!r} "
                           "where a tensor is made instead")


def get_default_dtype() -> str:
    return float32


_SUBMODULES = ("nn", "optim", "utils", "cuda", "backends", "accelerator")
"""Loaded on first use, so ``import graphlab.tensor`` stays light and free of cycles (``graphlab.nn`` imports it)."""

_UNSUPPORTED_DTYPES = ("int32", "int", "int16", "short", "int8", "uint8", "uint16", "uint32", "uint64", "float16",
                       "half", "bfloat16", "complex64", "cfloat", "complex128", "cdouble", "float8_e4m3fn",
                       "float8_e5m2", "quint8", "qint8", "qint32")


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")  # lazy: nn and optim import this package
    if name in _UNSUPPORTED_DTYPES:
        raise AttributeError(f"torch.{name} is not supported by graphlab: tensors are float32 (torch.float), "
                             "float64 (torch.double), int64 (torch.long) or bool")
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"torch.{name} is not supported by graphlab (graphlab.tensor has no {name!r}); the "
                         "README's 'Coming from PyTorch' lists what graphlab offers")


__all__ = ["AnomalyError", "BackendError", "Generator", "MinMax", "SaveFileError", "Size", "Tensor", "TensorTrace",
           "TensorTraceNode", "arange", "as_tensor", "autograd", "bool_", "cat", "clamp", "clip", "concatenate",
           "detect_anomaly", "device", "empty", "empty_like", "enable_grad", "eye", "float32", "float64",
           "from_dlpack", "from_numpy", "full", "full_like", "get_default_device", "get_default_dtype", "inference_mode", "int64",
           "is_grad_enabled", "is_tensor", "linspace", "load", "log_softmax", "logsumexp", "manual_seed", "matmul",
           "no_grad", "normal", "ones", "ones_like", "pad", "pow", "rand", "rand_like", "randint", "randn", "randn_like",
           "randperm", "save", "scope", "set_default_device", "set_default_dtype", "set_grad_enabled", "softmax",
           "split", "stack", "tensor", "where", "zeros", "zeros_like"]
__all__ += sorted(TABLE_FUNCTIONS) + sorted(METHOD_FUNCTIONS) + ["bool", "double", "float", "long"]
