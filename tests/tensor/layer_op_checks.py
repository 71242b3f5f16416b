"""Shared checks for the layer ops (conv, pooling, embedding, dropout): backends and finite differences.

``DEVICES`` runs a test on NumPy, on the strict array-API stand-in (which
refuses NumPy-only calls and host copies, as CuPy would) and, marked ``gpu``,
on CuPy. ``check_gradients`` compares backward() with float64 central
differences of a random projection of the output.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

import graphlab.tensor as gt
from graphlab.backend import BackendError, get_backend

DEVICES = ["cpu", "array_api_strict", pytest.param("cuda", marks=pytest.mark.gpu)]
STEP = 1e-6
TOLERANCE = 1e-6


def on(device: str) -> str:
    """``device``, or a skip when this machine cannot provide it (no CuPy / no GPU)."""
    try:
        get_backend(device)
    except BackendError as error:
        pytest.skip(str(error))
    return device


def leaf(values: np.ndarray, device: str) -> gt.Tensor:
    return gt.tensor(values, dtype="float64", requires_grad=True, device=device)


def check_gradients(fn: Callable[..., gt.Tensor], arrays: list[np.ndarray], device: str,
                    seed: int = 0) -> None:
    """Assert that the gradients of ``sum(fn(*inputs) · R)`` match central differences (relative error < 1e-6)."""
    inputs = [leaf(a, device) for a in arrays]
    out = fn(*inputs)
    projection = np.random.default_rng(seed).standard_normal(out.shape)
    out.backward(gt.tensor(projection, dtype="float64", device=device))

    def loss(values: list[np.ndarray]) -> float:
        with gt.no_grad():
            result = fn(*[gt.tensor(v, dtype="float64", device=device) for v in values])
        return float(np.sum(result.numpy() * projection))

    for k, (tensor, array) in enumerate(zip(inputs, arrays)):
        numeric = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            plus, minus = [a.copy() for a in arrays], [a.copy() for a in arrays]
            plus[k][index] += STEP
            minus[k][index] -= STEP
            numeric[index] = (loss(plus) - loss(minus)) / (2 * STEP)
        analytic = tensor.grad.numpy()
        error = np.max(np.abs(analytic - numeric)) / max(np.max(np.abs(numeric)), 1e-12)
        assert error < TOLERANCE, f"input {k}: relative error {error:.2e}"
