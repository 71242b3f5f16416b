"""Edges where a quiet wrong answer is easy: ties of dims, empty batches, −inf rows, ints, bool keys."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import graphlab.tensor as gt
from graphlab.tensor.conv import conv2d
from graphlab.tensor.pool import avg_pool2d, max_pool2d


@pytest.mark.parametrize("dim", [(0, 0), (1, -1), [0, 1, 0]])
def test_a_dimension_named_twice_is_refused(dim, device):
    x = gt.ones(3, 4, device=device)
    with pytest.raises(ValueError, match="appears more than once"):
        x.sum(dim=dim)


@pytest.mark.parametrize("dtype", ["float16", "int32", "complex64", "flot32"])
def test_an_unknown_dtype_is_named(dtype, device):
    with pytest.raises(TypeError, match=f"dtype '{dtype}' is not one of float32, float64, int64, bool"):
        gt.tensor([1.0, 2.0], dtype=dtype, device=device)


def test_logsumexp_of_a_row_of_minus_infinity_is_minus_infinity(device):
    rows = gt.tensor([[-math.inf, -math.inf], [1.0, 2.0], [math.inf, 0.0]], dtype="float64", device=device)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log 0 is not taken: no divide-by-zero warning
        out = rows.logsumexp(1).numpy()
    assert out[0] == -math.inf
    assert out[1] == pytest.approx(math.log(math.e + math.e ** 2))
    assert out[2] == math.inf


@pytest.mark.parametrize("stride", [1, 2])
def test_conv_and_pooling_take_an_empty_batch(stride, device):
    x = gt.zeros(0, 2, 6, 6, requires_grad=True, device=device)
    w = gt.randn(4, 2, 3, 3, requires_grad=True, device=device)
    b = gt.randn(4, requires_grad=True, device=device)
    y = conv2d(x, w, b, stride=stride, padding=1)
    assert y.shape == (0, 4, 6 // stride, 6 // stride)
    (max_pool2d(y, 2).sum() + avg_pool2d(y, 2).sum()).backward()
    assert x.grad.shape == (0, 2, 6, 6)
    assert not w.grad.numpy().any() and not b.grad.numpy().any()  # no images, no gradient


@pytest.mark.parametrize("join", [gt.cat, lambda ts: ts[0].split(1)])
def test_zero_dimensional_tensors_have_no_dimension_to_join_or_split(join, device):
    with pytest.raises(ValueError, match="a 0-d tensor has no dimension to work along"):
        join([gt.tensor(1.0, device=device), gt.tensor(2.0, device=device)])


@pytest.mark.parametrize("two", [2, np.int64(2)])
def test_integer_powers_of_integers_stay_integers(two, device):
    squared = gt.tensor([2, 3], device=device) ** two
    assert squared.dtype == "int64" and squared.tolist() == [4, 9]


def test_powers_of_and_to_booleans_are_powers_of_zeros_and_ones(device):
    flags = gt.tensor([True, False], device=device)
    assert (flags ** 2).dtype == "int64" and (flags ** 2).tolist() == [1, 0]
    assert (flags ** 0.5).dtype == "float32" and (flags ** 0.5).tolist() == [1.0, 0.0]
    assert (2 ** flags).dtype == "int64" and (2 ** flags).tolist() == [2, 1]
    assert (2.5 ** flags).tolist() == [2.5, 1.0]


def test_a_fractional_base_to_integer_powers_is_not_truncated(device):
    powers = gt.tensor([2, 3], device=device)
    assert (2.5 ** powers).dtype == "float32" and (2.5 ** powers).tolist() == [6.25, 15.625]
    assert (2 ** powers).dtype == "int64" and (2 ** powers).tolist() == [4, 8]


def test_fractional_powers_of_integers_are_float32_and_negative_integer_powers_refused(device):
    root = gt.tensor([4, 9], device=device) ** 0.5
    assert root.dtype == "float32" and root.tolist() == [2.0, 3.0]
    with pytest.raises(ValueError, match=r"negative power -1 is not an integer; convert it first with \.float\(\)"):
        gt.tensor([2], device=device) ** -1


def test_where_keeps_the_fraction_of_a_float_beside_integers(device):
    picked = gt.where(gt.tensor([True, False], device=device), gt.tensor([1, 2], device=device), 0.5)
    assert picked.dtype == "float32" and picked.tolist() == [1.0, 0.5]
    assert gt.where(gt.tensor([True, False], device=device), gt.tensor([1, 2], device=device), 7).dtype == "int64"


@pytest.mark.parametrize("key", [True, False, (0, True)])
def test_a_bool_key_is_refused_rather_than_read_as_an_index(key, device):
    x = gt.ones(2, 2, device=device)
    with pytest.raises(IndexError, match="use None for a new axis"):
        x[key]


def test_constants_take_the_graphs_float_dtype_without_losing_digits(device):
    single = gt.ones(2, device=device) * np.array([0.5, 2.0])  # float64 NumPy constant
    assert single.dtype == "float32"
    double = gt.zeros(2, dtype="float64", device=device) + [0.1, 0.2]  # Python floats: no float32 detour
    assert double.dtype == "float64" and double.tolist() == [0.1, 0.2]
    assert (gt.ones(2, device=device) + np.array([1, 2])).dtype == "float32"
