"""The tensor engine: ``Tensor`` records its graph on NumPy, CuPy or the strict test backend.

PyTorch's names throughout (``tensor``, ``zeros``, ``randn``, ``no_grad``,
``Tensor.backward``, ``exp``, ``relu``); functional forms in
``graphlab.tensor.functional``. Grad mode is shared with the scalar engine:
``graphlab.no_grad()`` and ``graphlab.tensor.no_grad()`` are one switch.
"""

from graphlab.backend import BackendError
from graphlab.grad_mode import enable_grad, is_grad_enabled, no_grad
from graphlab.tensor import methods as _methods  # puts the methods that compute on Tensor
from graphlab.tensor.anomaly import AnomalyError, detect_anomaly
from graphlab.tensor.creation import (
    Generator,
    arange,
    bool_,
    float32,
    float64,
    full,
    full_like,
    int64,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from graphlab.tensor.functional import (
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
from graphlab.tensor.mode import name_scope as scope
from graphlab.tensor.tensor import MinMax, Tensor
from graphlab.tensor.trace import TensorTrace, TensorTraceNode

globals().update(TABLE_FUNCTIONS)  # exp, log, relu, maximum … as torch.* spells them

del _methods

__all__ = ["AnomalyError", "BackendError", "Generator", "MinMax", "Tensor", "TensorTrace", "TensorTraceNode",
           "arange", "bool_", "cat", "clamp", "clip", "concatenate", "detect_anomaly", "enable_grad", "float32",
           "float64", "full", "full_like", "int64", "is_grad_enabled", "log_softmax", "logsumexp", "manual_seed",
           "matmul", "no_grad", "ones", "ones_like", "pad", "pow", "rand", "rand_like", "randn", "randn_like",
           "scope", "softmax", "split", "stack", "tensor", "where", "zeros", "zeros_like"]
__all__ += sorted(TABLE_FUNCTIONS)
