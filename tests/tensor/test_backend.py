"""Backends: NumPy by default, CuPy only when asked, and the strict backend that refuses NumPy."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import graphlab.tensor as T
from graphlab.backend import BackendError, default_device, get_backend


def test_import_graphlab_loads_neither_cupy_nor_scipy():
    code = ("import sys, graphlab, graphlab.tensor; "
            "print(sorted(m for m in ('cupy', 'scipy', 'array_api_strict') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cuda_without_cupy_names_what_is_missing(monkeypatch):
    from graphlab import backend

    monkeypatch.setitem(sys.modules, "cupy", None)  # import cupy now raises ImportError
    monkeypatch.delitem(backend._BACKENDS, "cuda", raising=False)
    with pytest.raises(BackendError, match=r"device 'cuda' needs CuPy and an NVIDIA GPU: pip install "
                                           r"cupy-cuda12x \(CuPy is not installed\)"):
        T.zeros(2, device="cuda")
    with pytest.raises(BackendError, match="CuPy"):
        T.ones(2).to("cuda")
    with pytest.raises(BackendError, match="CuPy"):
        T.ones(2).cuda()


def test_unknown_device_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        T.zeros(2, device="tpu")


def test_strict_backend_refuses_a_silent_copy_to_numpy():
    x = T.ones(3, device="array_api_strict")
    with pytest.raises(RuntimeError, match="NumPy"):
        np.asarray(x.data)
    assert x.numpy().tolist() == [1.0, 1.0, 1.0]  # the explicit move is allowed


def test_to_moves_between_backends_and_the_gradient_moves_back():
    x = T.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    y = x.to("array_api_strict")
    assert y.device == "array_api_strict" and x.device == "cpu"
    (y * y).sum().backward()
    assert x.grad.device == "cpu" and x.grad.numpy().tolist() == [2.0, 4.0]


def test_dtype_conversions_are_differentiable_and_same_dtype_is_a_no_op(device):
    x = T.tensor([1.5, -2.0], requires_grad=True, device=device)
    assert x.float() is x and x.dtype == "float32"
    y = x.double()
    assert y.dtype == "float64"
    (y * y).sum().backward()
    assert x.grad.dtype == "float32" and x.grad.numpy().tolist() == [3.0, -4.0]


def test_mixing_devices_is_an_error_naming_the_operator():
    with pytest.raises(RuntimeError, match="add: tensors on different devices"):
        T.ones(2) + T.ones(2, device="array_api_strict")
    with pytest.raises(RuntimeError, match="<=: tensors on different devices"):
        _ = T.ones(2) <= T.ones(2, device="array_api_strict")
    with pytest.raises(RuntimeError, match=r"\|: tensors on different devices"):
        (T.ones(2) > 0) | (T.ones(2, device="array_api_strict") > 0)


def test_default_device_context():
    with default_device("array_api_strict"):
        assert T.zeros(2).device == "array_api_strict"
    assert T.zeros(2).device == "cpu"


def test_backend_namespace_serves_the_whole_ops_table(device):
    """Every name the operations table calls exists on each backend's namespace."""
    xp = get_backend(device).xp
    for name in ("exp", "expm1", "log", "log1p", "sqrt", "abs", "sign", "sin", "cos", "tanh", "erf",
                 "where", "maximum", "minimum", "pow", "pi"):
        assert hasattr(xp, name), name
    assert xp.sqrt(4.0) == 2.0  # the table calls sqrt on Python numbers too


@pytest.mark.parametrize(("values", "stop", "expected"), [
    ([0, 3, 2], 4, True),
    ([0, 4], 4, False),
    ([-1, 2], 4, False),
    ([[1, 2], [3, 0]], 4, True),
    ([[1, 2], [3, -5]], 4, False),
    ([-2**63, 1], 4, False),
    ([2**63 - 1], 4, False),
    ([7], 8, True),
])
def test_below_says_whether_every_index_lies_in_range(device, values, stop, expected):
    """The index check of losses and embeddings: one reduction on NumPy and CuPy, whose unsigned
    reading must still catch negative entries, the most negative one included."""
    backend = get_backend(device)
    array = backend.asarray(np.array(values, dtype=np.int64))
    assert backend.xp.below(array, stop) is expected
    assert backend.xp.bounds(array) == (int(np.min(values)), int(np.max(values)))


@pytest.mark.gpu
def test_cuda_round_trip_matches_cpu():
    try:
        get_backend("cuda")
    except BackendError as error:
        pytest.skip(str(error))
    x = T.randn(4, 3, generator=T.Generator(0), requires_grad=True)
    w = T.randn(3, 2, generator=T.Generator(1), requires_grad=True)
    cpu_loss = (x @ w).relu().sum()
    cpu_loss.backward()
    xg, wg = x.grad.numpy().copy(), w.grad.numpy().copy()
    x.grad = w.grad = None
    gpu_loss = (x.cuda() @ w.cuda()).relu().sum()
    gpu_loss.backward()
    assert gpu_loss.device == "cuda"
    np.testing.assert_allclose(gpu_loss.item(), cpu_loss.item(), rtol=1e-5)
    np.testing.assert_allclose(x.grad.numpy(), xg, rtol=1e-5)
    np.testing.assert_allclose(w.grad.numpy(), wg, rtol=1e-5)

