"""The lecture's exercise x0 / exp(-(x0·y0 + x1·y1)) on 0-d tensors equals the scalar engine."""

from __future__ import annotations

import pytest

import graphlab.tensor as T
from graphlab import Value


@pytest.mark.parametrize("x0, y0, x1, y1", [(1.0, 2.0, -1.0, 0.5), (-0.3, 1.7, 2.2, -0.4)])
def test_exercise_values_and_gradients_match_value(x0, y0, x1, y1, device):
    scalars = [Value(v) for v in (x0, y0, x1, y1)]
    a, b, c, d = scalars
    f = a / (-(a * b + c * d)).exp()
    f.backward()

    tensors = [T.tensor(v, dtype="float64", requires_grad=True, device=device) for v in (x0, y0, x1, y1)]
    p, q, r, s = tensors
    g = p / (-(p * q + r * s)).exp()
    g.backward()

    assert g.shape == () and g.item() == pytest.approx(f.data, rel=1e-15)
    for scalar, tensor in zip(scalars, tensors):
        assert tensor.grad.item() == pytest.approx(scalar.grad, rel=1e-15)
