"""Shared checks: float64 central differences and PyTorch parity for one op on one backend."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import numpy as np

import graphlab.tensor as T
from graphlab.tensor import functional as F
from graphlab.tensor.loss import cross_entropy, nll_loss

EPS = 1e-6
RTOL = 1e-6


def graphlab_lib(device: str) -> SimpleNamespace:
    """The names a case calls, spelled for graphlab (the torch twin is ``torch_lib``)."""
    names = {n: getattr(F, n) for n in F.__all__}
    names["ints"] = lambda values: T.tensor(values, dtype="int64", device=device)
    names.update(nll_loss=nll_loss, cross_entropy=cross_entropy)
    return SimpleNamespace(**names)


def torch_lib(torch) -> SimpleNamespace:
    """The same names for PyTorch: from ``torch.nn.functional`` where it has them, else from ``torch``."""
    tf = torch.nn.functional
    names = {n: getattr(tf, n) for n in F.__all__ if hasattr(tf, n)}
    names |= {n: getattr(torch, n) for n in ("exp", "log", "sqrt", "abs", "square", "reciprocal", "sin",
                                             "cos", "sigmoid", "tanh", "relu", "selu", "cat", "stack",
                                             "split", "where", "matmul", "maximum", "minimum", "clamp",
                                             "clip", "softmax", "log_softmax", "logsumexp", "pow")}
    names.update(leaky_relu=tf.leaky_relu, elu=tf.elu, softplus=tf.softplus, silu=tf.silu, gelu=tf.gelu,
                 pad=tf.pad, nll_loss=tf.nll_loss, cross_entropy=tf.cross_entropy, concatenate=torch.cat,
                 ints=lambda values: torch.tensor(values, dtype=torch.int64))
    return SimpleNamespace(**names)


def evaluate(fn: Callable, arrays: list[np.ndarray], device: str) -> np.ndarray:
    lib = graphlab_lib(device)
    with T.no_grad():
        out = fn(lib, *[T.tensor(a, dtype="float64", device=device) for a in arrays])
    return np.asarray(out, dtype=np.float64)


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖a − n‖ / max(‖a‖ + ‖n‖, 1): relative for gradients of size ≥ 1, absolute below."""
    scale = max(np.linalg.norm(analytic) + np.linalg.norm(numeric), 1.0)
    return float(np.linalg.norm(analytic - numeric) / scale)


def numeric_gradients(fn: Callable, arrays: list[np.ndarray], upstream: np.ndarray, device: str):
    """d(sum(out · upstream))/d(input) for every input, by float64 central differences."""
    grads = []
    for i, array in enumerate(arrays):
        grad = np.zeros(array.shape)
        for index in np.ndindex(array.shape):
            values = []
            for step in (EPS, -EPS):
                moved = [a.copy() for a in arrays]
                moved[i][index] += step
                values.append(float(np.sum(evaluate(fn, moved, device) * upstream)))
            grad[index] = (values[0] - values[1]) / (2 * EPS)
        grads.append(grad)
    return grads


def analytic(fn: Callable, arrays: list[np.ndarray], device: str, seed: int = 0):
    """Forward value, the upstream gradient used, and each input's ``.grad`` from backward()."""
    lib = graphlab_lib(device)
    inputs = [T.tensor(a, dtype="float64", requires_grad=True, device=device) for a in arrays]
    out = fn(lib, *inputs)
    upstream = np.random.default_rng(seed).standard_normal(out.shape)
    out.backward(T.tensor(upstream, dtype="float64", device=device))
    grads = []
    for x, a in zip(inputs, arrays):
        grad = np.zeros(a.shape) if x.grad is None else x.grad.numpy()
        assert grad.shape == a.shape, f"gradient shape {grad.shape} != input shape {a.shape}"
        assert x.grad is None or x.grad.dtype == "float64"
        grads.append(grad)
    return out.numpy(), upstream, grads


def gradcheck(fn: Callable, arrays: list[np.ndarray], device: str) -> None:
    _, upstream, grads = analytic(fn, arrays, device)
    for i, (a, n) in enumerate(zip(grads, numeric_gradients(fn, arrays, upstream, device))):
        error = relative_error(a, n)
        assert error < RTOL, f"input {i}: relative error {error:.2e}\nanalytic\n{a}\nnumeric\n{n}"


def torch_parity(torch, fn: Callable, arrays: list[np.ndarray], device: str) -> None:
    value, upstream, grads = analytic(fn, arrays, device)
    inputs = [torch.tensor(np.array(a, order="C"), dtype=torch.float64, requires_grad=True) for a in arrays]
    out = fn(torch_lib(torch), *inputs)
    out.backward(torch.tensor(upstream, dtype=torch.float64))
    np.testing.assert_allclose(value, out.detach().numpy(), rtol=1e-9, atol=1e-12, err_msg="forward")
    for i, (mine, x) in enumerate(zip(grads, inputs)):
        theirs = np.zeros(x.shape) if x.grad is None else x.grad.numpy()
        np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-12, err_msg=f"gradient of input {i}")


def sample(shape: tuple[int, ...], domain: str, rng: np.random.Generator) -> np.ndarray:
    """Inputs inside an op's domain and away from its kinks (0 for relu/abs, ties for max)."""
    if domain == "positive":
        values = rng.uniform(0.5, 2.0, shape)
    elif domain == "away":
        values = rng.uniform(0.2, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    elif domain == "unit":
        values = rng.uniform(-0.9, 0.9, shape)
    else:
        values = rng.standard_normal(shape)
    return np.array(values, dtype=np.float64)

