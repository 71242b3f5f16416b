"""The PyTorch-shaped surface: creation, dtypes, operators with numbers and NumPy arrays, properties."""

from __future__ import annotations

import numpy as np
import pytest

import graphlab.tensor as T


def test_defaults_are_float32_and_int64(device):
    assert T.tensor([1.0, 2.0], device=device).dtype == "float32"
    assert T.tensor([1, 2], device=device).dtype == "int64"
    assert T.arange(3, device=device).dtype == "int64"
    assert T.arange(0.0, 1.0, 0.25, device=device).numpy().tolist() == [0.0, 0.25, 0.5, 0.75]
    assert T.zeros(2, 3, device=device).shape == (2, 3)
    assert T.ones((2, 3), dtype="float64", device=device).dtype == "float64"
    assert T.full((2,), 7.0, device=device).numpy().tolist() == [7.0, 7.0]


def test_tensor_copies_its_data():
    source = np.ones(3, dtype=np.float32)
    t = T.tensor(source)
    source[0] = 5.0
    assert t.numpy().tolist() == [1.0, 1.0, 1.0]


def test_seeded_generator_is_reproducible(device):
    a = T.randn(3, 2, generator=T.Generator(42), device=device).numpy()
    b = T.randn(3, 2, generator=T.Generator(42), device=device).numpy()
    c = T.randn(3, 2, generator=T.Generator(43), device=device).numpy()
    assert a.dtype == np.float32 and np.array_equal(a, b) and not np.array_equal(a, c)
    u = T.rand(1000, generator=T.Generator(0), device=device).numpy()
    assert u.min() >= 0.0 and u.max() < 1.0 and abs(u.mean() - 0.5) < 0.05
    like = T.randn_like(T.zeros(2, 5, dtype="float64", device=device), generator=T.Generator(1))
    assert like.shape == (2, 5) and like.dtype == "float64"


def test_operators_with_numbers_and_numpy_on_either_side(device):
    t = T.tensor([1.0, 2.0], device=device)
    array = np.array([10.0, 20.0])
    assert (array + t).numpy().tolist() == [11.0, 22.0]
    assert (t * array).numpy().tolist() == [10.0, 40.0]
    assert (array - t).dtype == "float32"  # a float64 NumPy constant does not upcast a float32 tensor
    assert (1 - t).numpy().tolist() == [0.0, -1.0]
    assert (2 / t).numpy().tolist() == [2.0, 1.0]
    assert (t ** 2).numpy().tolist() == [1.0, 4.0]
    assert (-t).numpy().tolist() == [-1.0, -2.0]
    m = T.tensor(np.eye(2), device=device)
    assert (np.ones((1, 2)) @ m).numpy().tolist() == [[1.0, 1.0]]


def test_comparisons_give_bool_tensors_outside_the_graph(device):
    t = T.tensor([1.0, 2.0, 3.0], requires_grad=True, device=device)
    mask = t > 1.5
    assert mask.dtype == "bool" and not mask.requires_grad
    assert mask.numpy().tolist() == [False, True, True]
    assert (t == 2.0).numpy().tolist() == [False, True, False]
    assert {t: "hashable by identity"}[t]


def test_properties_and_conversions(device):
    t = T.tensor(np.arange(6.0).reshape(2, 3), device=device)
    assert (t.ndim, t.numel(), t.size(), t.size(1), len(t)) == (2, 6, (2, 3), 3, 2)
    assert t.T.shape == (3, 2) and t.device == device
    assert T.tensor(2.5, device=device).item() == 2.5 and float(T.tensor([3.0], device=device)) == 3.0
    assert np.asarray(t).tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert t.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    with pytest.raises(ValueError, match="one element"):
        t.item()


def test_max_with_dim_returns_values_and_indices(device):
    t = T.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]], device=device)
    values, indices = t.max(dim=1)
    assert values.numpy().tolist() == [5.0, 7.0] and indices.numpy().tolist() == [1, 0]
    assert t.min(dim=0).indices.numpy().tolist() == [0, 1, 0]
    assert t.argmax().item() == 3


def test_clear_errors_for_bad_shapes(device):
    t = T.ones(2, 3, device=device)
    with pytest.raises(ValueError, match=r"reshape: cannot view shape \(2, 3\) as \(4, 2\)"):
        t.reshape(4, 2)
    with pytest.raises(IndexError, match="dimension 3 is out of range for a 2-d tensor"):
        t.sum(dim=3)
    with pytest.raises(ValueError, match="matmul"):
        T.tensor(1.0, device=device) @ t


def test_repr_reads_like_torch():
    t = T.tensor([1.0, 2.0], requires_grad=True)
    assert repr(t) == "tensor([1., 2.], requires_grad=True)"
    assert repr(t * 2.0) == "tensor([2., 4.], grad_fn=<MulBackward>)"


def test_inplace_updates_for_optimizers(device):
    w = T.tensor([1.0, 2.0], requires_grad=True, device=device)
    with T.no_grad():
        w.mul_(3.0).add_(T.tensor([1.0, 1.0], device=device), alpha=2.0)
        assert w.numpy().tolist() == [5.0, 8.0]
        w.copy_(T.tensor([0.5, 0.25], dtype="float64", device=device))
        assert w.dtype == "float32" and w.numpy().tolist() == [0.5, 0.25]
        w.zero_()
    assert w.numpy().tolist() == [0.0, 0.0] and w.requires_grad and w.is_leaf
