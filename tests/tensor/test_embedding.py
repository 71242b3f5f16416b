"""embedding: repeated indices sum their gradients (finite differences, by hand, PyTorch), clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from tensor_checks import gradcheck

import graphlab.tensor as gt
from graphlab.tensor.embedding import embedding

INDICES = [[0, 3, 3, 1], [3, 0, 4, 3]]  # 3 appears four times, 0 twice, 2 never


def test_gradients_match_central_differences(device):
    weight = np.random.default_rng(0).standard_normal((5, 3))
    gradcheck(lambda lib, w: embedding(gt.tensor(INDICES, device=device), w), [weight], device)


def test_non_contiguous_table(device):
    base = np.random.default_rng(1).standard_normal((3, 10))
    gradcheck(lambda lib, b: embedding(INDICES, b.T[::2]), [base], device)


def test_repeated_indices_add_up(device):
    weight = gt.tensor(np.arange(15.0).reshape(5, 3), dtype="float64", requires_grad=True, device=device)
    out = embedding(INDICES, weight)
    assert out.shape == (2, 4, 3)
    assert out.numpy()[1, 2].tolist() == [12.0, 13.0, 14.0]
    out.sum().backward()
    counts = np.bincount(np.ravel(INDICES), minlength=5)
    assert weight.grad.numpy().tolist() == np.repeat(counts[:, None], 3, axis=1).tolist()


@pytest.mark.parametrize("padding_idx", [None, 3, -2])
def test_matches_pytorch(device, padding_idx):
    torch = pytest.importorskip("torch")
    table = np.random.default_rng(2).standard_normal((5, 4))
    ours = gt.tensor(table, dtype="float64", requires_grad=True, device=device)
    theirs = torch.tensor(table, requires_grad=True)
    out = embedding(gt.tensor(INDICES, device=device), ours, padding_idx=padding_idx)
    expected = torch.nn.functional.embedding(torch.tensor(INDICES), theirs, padding_idx=padding_idx)
    upstream = np.random.default_rng(3).standard_normal(expected.shape)
    out.backward(gt.tensor(upstream, dtype="float64", device=device))
    expected.backward(torch.tensor(upstream))
    np.testing.assert_array_equal(out.numpy(), expected.detach().numpy())
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=0, atol=1e-12)


def test_scalar_index_and_float32_table():
    weight = gt.randn(4, 2, requires_grad=True)
    out = embedding(gt.tensor(2), weight)
    assert out.shape == (2,) and out.dtype == "float32"
    np.testing.assert_array_equal(out.numpy(), weight.numpy()[2])


@pytest.mark.parametrize("indices, kwargs, error, message", [
    ([0, 5], {}, IndexError, "index 5 is out of range for a table of 5 rows"),
    ([-1, 0], {}, IndexError, "index -1 is out of range"),
    ([0.0, 1.0], {}, TypeError, "indices must be integers"),
    ([0, 1], {"padding_idx": 7}, ValueError, "padding_idx 7 is outside"),
])
def test_bad_indices_are_named(indices, kwargs, error, message):
    with pytest.raises(error, match=message):
        embedding(indices, gt.zeros(5, 2), **kwargs)
