"""``import graphlab.tensor as torch``: PyTorch's names, the same objects as graphlab's, and a clear refusal of
what graphlab lacks."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import graphlab
import graphlab.tensor as T


def test_every_import_spelling_gives_graphlabs_own_objects():
    import graphlab.tensor.nn.functional as F
    from graphlab.tensor.optim.lr_scheduler import StepLR

    import graphlab.tensor.nn as nn
    from graphlab.tensor import nn as nn_too
    from graphlab.tensor import optim
    from graphlab.tensor.autograd import Function
    from graphlab.tensor.utils.data import DataLoader, Dataset, TensorDataset

    assert nn is nn_too is T.nn is graphlab.nn and F is graphlab.nn.functional and F.relu is graphlab.nn.functional.relu
    assert optim is T.optim is graphlab.optim and StepLR is graphlab.optim.lr_scheduler.StepLR
    assert DataLoader is graphlab.data.DataLoader and Dataset is graphlab.data.Dataset
    assert TensorDataset is graphlab.data.TensorDataset and Function is T.autograd.Function
    assert T.nn.utils.clip_grad_norm_ is graphlab.nn.utils.clip_grad_norm_


def test_importing_graphlab_tensor_stays_light():
    """nn, optim and the data loader load on first use; PyTorch never."""
    code = "import sys, graphlab.tensor; print(' '.join(sorted(sys.modules)))"
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert not loaded & {"graphlab.nn", "graphlab.optim", "graphlab.data", "torch", "zipfile", "cupy"}


def test_dtypes_devices_and_the_questions_scripts_ask():
    assert (T.float, T.float32, T.double, T.float64, T.long, T.int64, T.bool) == (
        "float32", "float32", "float64", "float64", "int64", "int64", "bool")
    assert T.zeros(2, dtype=T.long).dtype == T.long and T.tensor([1.5]).type(T.float64).dtype == T.double
    device = T.device("cuda" if T.cuda.is_available() else "cpu")
    assert device == "cpu" and device.type == "cpu" and repr(device) == "device(type='cpu')"
    assert T.tensor([1.0]).device == device and T.device("cuda", 0) == "cuda:0"
    assert T.accelerator.current_accelerator() is None and not T.backends.mps.is_available()
    assert T.get_default_dtype() == T.float and T.is_grad_enabled()
    with T.set_grad_enabled(False):
        assert not T.is_grad_enabled()
    with T.inference_mode():
        assert not (T.ones(1, requires_grad=True) * 2).requires_grad


def test_set_default_device_places_new_tensors():
    T.set_default_device("array_api_strict")
    try:
        assert T.zeros(2).device == "array_api_strict" and T.linspace(0, 1, 3).device == "array_api_strict"
    finally:
        T.set_default_device("cpu")
    assert T.zeros(2).device == "cpu"


def test_what_graphlab_lacks_is_refused_by_name():
    with pytest.raises(AttributeError, match=r"torch.float16 is not supported by graphlab: tensors are float32"):
        T.float16  # noqa: B018
    with pytest.raises(AttributeError, match=r"torch.sparse is not supported by graphlab"):
        T.sparse  # noqa: B018
    with pytest.raises(TypeError, match=r"only integer tensors of a single element can be converted to an index"):
        [1, 2][T.tensor([0.0])]
    with pytest.raises(RuntimeError, match=r"set_default_dtype\('float64'\) is not supported by graphlab"):
        T.set_default_dtype(T.float64)
    with pytest.raises(TypeError, match=r"Tensor.int\(\) casts to int32, which graphlab does not support"):
        T.tensor([1.5]).int()
    with pytest.raises(RuntimeError, match=r"mm: both operands must be 2-d"):
        T.ones(3).mm(T.ones(3, 1))
    with pytest.raises(RuntimeError, match=r"t\(\) expects a tensor with <= 2 dimensions"):
        T.ones(2, 2, 2).t()


def test_module_functions_match_pytorch():
    torch = pytest.importorskip("torch")
    x = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]], dtype=np.float32)
    for name, call in [("sum", lambda L, t: L.sum(t, 1)), ("mean", lambda L, t: L.mean(t)),
                       ("max", lambda L, t: L.max(t, 1).values), ("min", lambda L, t: L.min(t)),
                       ("argmax", lambda L, t: L.argmax(t, 1)), ("maximum", lambda L, t: L.max(t, t * 0)),
                       ("mm", lambda L, t: L.mm(t, L.t(t))), ("matmul", lambda L, t: L.matmul(input=t, other=t.T)),
                       ("exp", lambda L, t: L.exp(t)), ("sigmoid", lambda L, t: L.sigmoid(t)),
                       ("relu", lambda L, t: L.relu(t)), ("tanh", lambda L, t: L.tanh(t)),
                       ("cat", lambda L, t: L.cat([t, t], 0)), ("stack", lambda L, t: L.stack([t, t], 1)),
                       ("where", lambda L, t: L.where(t > 0, t, L.zeros_like(t))),
                       ("linspace", lambda L, t: L.linspace(-3.14159, 3.14159, 7)),
                       ("arange", lambda L, t: L.arange(0, 1, 0.25)), ("eye", lambda L, t: L.eye(2, 3)),
                       ("norm", lambda L, t: t.norm()), ("clone", lambda L, t: t.clone().add_(1)),
                       ("type", lambda L, t: (t > 0).type(L.float).sum()), ("long", lambda L, t: t.long()),
                       ("add", lambda L, t: L.add(t, t, alpha=2)), ("chunk", lambda L, t: t.chunk(2, 1)[1]),
                       ("unbind", lambda L, t: t.unbind(1)[2]), ("from_numpy", lambda L, t: L.from_numpy(x) * 2),
                       ("masked_fill", lambda L, t: t.masked_fill(t < 0, 0.0)),
                       ("allclose", lambda L, t: L.tensor(L.allclose(t, t + 1e-9))),
                       ("equal", lambda L, t: L.tensor(L.equal(t, t.clone())))]:
        ours = call(T, T.tensor(x)).numpy()
        theirs = call(torch, torch.tensor(x)).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6, err_msg=name)  # linspace: 1 ulp at 0
        assert ours.dtype == theirs.dtype, name


def test_a_tensor_is_a_python_value_as_pytorchs_is():
    classes = ["a", "b", "c"]
    scores = T.tensor([[0.1, 0.7, 0.2]])
    assert classes[scores[0].argmax(0)] == "b" and len(scores) == 1
    assert [row.tolist() for row in T.tensor([[1, 2], [3, 4]])] == [[1, 2], [3, 4]]
    assert f"{T.tensor(0.123456):.3f}" == "0.123" and int(T.tensor(3)) == 3 and 2 in T.tensor([1, 2])
    assert T.tensor([1.0]).type() == "torch.FloatTensor" and T.tensor([1]).type() == "torch.LongTensor"
