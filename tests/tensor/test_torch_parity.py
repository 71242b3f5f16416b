"""Forward values and gradients of every op agree with PyTorch (float64), on every backend."""

from __future__ import annotations

import numpy as np
import pytest
from op_cases import BINARY, BINARY_SHAPES, STRUCTURAL, UNARY, UNARY_SHAPES
from tensor_checks import sample, torch_parity

from graphlab.backend import BackendError

torch = pytest.importorskip("torch")

CASES = ([pytest.param(fn, [shape], domain, id=f"{name}-{shape}")
          for name, fn, domain in UNARY for shape in UNARY_SHAPES]
         + [pytest.param(fn, list(shapes), domain, id=f"{name}-{shapes}")
            for name, fn, domain in BINARY for shapes in BINARY_SHAPES]
         + [pytest.param(fn, shapes, "real", id=name) for name, fn, shapes in STRUCTURAL])


@pytest.mark.parametrize("fn, shapes, domain", CASES)
def test_matches_torch(fn, shapes, domain, device):
    rng = np.random.default_rng(7)
    arrays = [sample(tuple(s), domain, rng) for s in shapes]
    try:
        torch_parity(torch, fn, arrays, device)
    except BackendError as error:
        pytest.skip(str(error))


def test_max_ties_split_evenly_like_amax(device):
    """Tied maxima share the gradient equally, as torch.amax; elementwise maximum splits a tie in half."""
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    arrays = [x]
    torch_parity(torch, lambda L, t: t.amax(dim=1), arrays, device)
    torch_parity(torch, lambda L, t: t.amax(), arrays, device)
    torch_parity(torch, lambda L, a, b: L.maximum(a, b), [x, np.full((2, 3), 2.0)], device)


def test_kinks_follow_torch(device):
    """relu'(0) = 0, |x|'(0) = 0, clamp passes the gradient at its bounds."""
    x = np.array([-1.0, 0.0, 0.5, 1.0])
    torch_parity(torch, lambda L, t: L.relu(t), [x], device)
    torch_parity(torch, lambda L, t: t.abs(), [x], device)
    torch_parity(torch, lambda L, t: t.clamp(0.0, 0.5), [x], device)
    torch_parity(torch, lambda L, t: t.prod(), [x], device)  # a zero factor: no division by it
