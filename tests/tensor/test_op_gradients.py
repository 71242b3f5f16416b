"""Every op's gradient against float64 central differences, on every backend.

Shapes include broadcasting, size-1 and zero-size dimensions; a second layout
feeds the same values as transposed (non-contiguous) arrays.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes
from op_cases import BINARY, BINARY_SHAPES, STRUCTURAL, UNARY, UNARY_SHAPES
from tensor_checks import gradcheck, sample

import graphlab.tensor as T
from graphlab.backend import BackendError
from graphlab.ops import OPS

UNARY_CASES = [pytest.param(fn, shape, domain, id=f"{name}-{shape}")
               for name, fn, domain in UNARY for shape in UNARY_SHAPES]
BINARY_CASES = [pytest.param(fn, shapes, domain, id=f"{name}-{shapes}")
                for name, fn, domain in BINARY for shapes in BINARY_SHAPES]
STRUCTURAL_CASES = [pytest.param(fn, shapes, id=name) for name, fn, shapes in STRUCTURAL]


CASE_OF = {"pow": "pow_2", "max": "maximum", "min": "minimum"}
"""The case of a table op where its case is named for how the test calls it."""


def test_every_op_of_the_table_has_a_case():
    """An op added to graphlab/ops.py is gradient-checked here (and against PyTorch) once it has its row."""
    cases = {name for name, _, _ in UNARY + BINARY}
    assert [op for op in OPS if CASE_OF.get(op, op) not in cases] == []


def non_contiguous(array: np.ndarray) -> np.ndarray:
    """The same values, stored transposed: a view whose strides are not C order."""
    return np.ascontiguousarray(array.T).T if array.ndim >= 2 else array


def run(fn, arrays, device):
    try:
        gradcheck(fn, arrays, device)
    except BackendError as error:  # exact GELU needs erf, which the strict backend lacks
        pytest.skip(str(error))


@pytest.mark.parametrize("fn, shape, domain", UNARY_CASES)
def test_unary(fn, shape, domain, device):
    run(fn, [sample(shape, domain, np.random.default_rng(1))], device)


@pytest.mark.parametrize("fn, shapes, domain", BINARY_CASES)
def test_binary(fn, shapes, domain, device):
    rng = np.random.default_rng(2)
    run(fn, [sample(s, domain, rng) for s in shapes], device)


@pytest.mark.parametrize("fn, shapes", STRUCTURAL_CASES)
def test_structural(fn, shapes, device):
    rng = np.random.default_rng(3)
    run(fn, [rng.standard_normal(s) for s in shapes], device)


TRANSPOSABLE = [pytest.param(fn, shapes, id=name) for name, fn, shapes in STRUCTURAL
                if any(len(s) >= 2 and min(s) > 1 for s in shapes) and name != "view"]
"""Every structural op with a matrix input; ``view`` refuses a transposed one, as PyTorch's does (below)."""


@pytest.mark.parametrize("fn, shapes", TRANSPOSABLE)
def test_structural_non_contiguous(fn, shapes, device):
    rng = np.random.default_rng(4)
    arrays = [non_contiguous(rng.standard_normal(s)) for s in shapes]
    assert any(not a.flags.c_contiguous for a in arrays)
    run(fn, arrays, device)


def test_view_of_a_transposed_tensor_is_refused_and_reshape_copies(device):
    """As PyTorch: ``view`` needs strides that give the shape; ``reshape`` copies where they do not."""
    x = T.tensor(np.arange(12.0).reshape(3, 4), device=device).T
    with pytest.raises(RuntimeError, match=r"view: shape \(4, 3\) cannot be viewed as \(2, 6\) without a copy"):
        x.view(2, 6)
    assert x.reshape(2, 6).numpy().tolist() == np.arange(12.0).reshape(3, 4).T.reshape(2, 6).tolist()


def test_strided_view_input(device):
    """Ops on a strided slice of a tensor (a view, not a copy) still get exact gradients."""
    x = np.random.default_rng(5).standard_normal((6, 4))
    run(lambda L, t: (t[::2, 1:] @ t[1::2, :3].T).tanh(), [x], device)


@settings(max_examples=20, deadline=None)
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, min_side=0, max_side=3),
       case=st.sampled_from([c for c in BINARY if c[0] != "pow_var"]), seed=st.integers(0, 2 ** 16))
def test_binary_on_random_broadcast_shapes(shapes, case, seed):
    """Random broadcast-compatible shapes (size-1 and zero-size sides included) on NumPy and the strict backend."""
    _, fn, domain = case
    rng = np.random.default_rng(seed)
    arrays = [sample(s, domain, rng) for s in shapes.input_shapes]
    for device in ("cpu", "array_api_strict"):
        gradcheck(fn, arrays, device)
