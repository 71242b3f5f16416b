"""max_pool2d / avg_pool2d: finite differences, first-max ties as PyTorch, parity, clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from tensor_checks import gradcheck

import graphlab.tensor as gt
from graphlab.tensor.pool import avg_pool2d, max_pool2d

# (input shape, kernel, stride, padding, dilation, ceil_mode)
MAX_CASES = [
    ((2, 2, 6, 6), 2, None, 0, 1, False),
    ((1, 3, 7, 5), 3, 2, 1, 1, False),
    ((2, 1, 7, 8), (3, 2), (1, 2), (1, 1), (2, 1), False),
    ((2, 5, 5), 2, 1, 0, 1, False),  # unbatched (C, H, W)
    ((2, 3, 7, 5), 2, None, 0, 1, False),  # tiling windows that leave the last row and column out
    ((1, 2, 6, 9), 3, 3, 0, 1, False),
    ((2, 3, 7, 5), 2, None, 0, 1, True),  # ceil_mode: a last, partial row and column of windows
    ((1, 2, 8, 7), 3, 2, 1, 1, True),  # ceil_mode with padding: a window that would start in it is dropped
    ((1, 1, 9, 6), (3, 2), (2, 3), (1, 0), (2, 1), True),
]
# (input shape, kernel, stride, padding, ceil_mode)
AVG_CASES = [
    ((2, 2, 6, 6), 2, None, 0, False),
    ((1, 3, 7, 5), 3, 2, 1, False),
    ((2, 1, 5, 8), (2, 3), (1, 2), (1, 1), False),
    ((2, 3, 7, 5), 2, None, 0, True),
    ((1, 2, 8, 7), 3, 2, 1, True),
    ((1, 1, 6, 9), (2, 3), (3, 2), (1, 1), True),
]


@pytest.mark.parametrize("case", MAX_CASES)
def test_max_pool_gradients_match_central_differences(case, device):
    shape, kernel, stride, padding, dilation, ceil_mode = case
    x = np.random.default_rng(0).standard_normal(shape)  # distinct values: no ties to blur the differences
    gradcheck(lambda lib, t: max_pool2d(t, kernel, stride, padding, dilation, ceil_mode), [x], device)


@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("case", AVG_CASES)
def test_avg_pool_gradients_match_central_differences(case, count_include_pad, device):
    shape, kernel, stride, padding, ceil_mode = case
    x = np.random.default_rng(0).standard_normal(shape)
    gradcheck(lambda lib, t: avg_pool2d(t, kernel, stride, padding, ceil_mode, count_include_pad), [x], device)


def test_non_contiguous_input(device):
    base = np.random.default_rng(2).standard_normal((2, 3, 8, 7))
    gradcheck(lambda lib, t: max_pool2d(t[:, ::2].transpose(2, 3), 2, 1), [base], device)
    gradcheck(lambda lib, t: avg_pool2d(t[:, ::2].transpose(2, 3), 3, 2, 1), [base], device)
    gradcheck(lambda lib, t: max_pool2d(t[:, ::2].transpose(2, 3), 3, 2, 1, ceil_mode=True), [base], device)


def test_tie_sends_the_gradient_to_the_first_maximum():
    """Row-major order within the window: the top-left of several equal maxima takes the whole gradient."""
    x = gt.tensor(np.array([[[[1.0, 3.0, 2.0, 2.0],
                              [3.0, 0.0, 2.0, 2.0],
                              [0.0, 0.0, 5.0, 1.0],
                              [0.0, 0.0, 1.0, 5.0]]]]), dtype="float64", requires_grad=True)
    out = max_pool2d(x, 2)
    assert out.numpy()[0, 0].tolist() == [[3.0, 2.0], [0.0, 5.0]]
    out.sum().backward()
    assert x.grad.numpy()[0, 0].tolist() == [[0, 1, 1, 0],
                                             [0, 0, 0, 0],
                                             [1, 0, 1, 0],
                                             [0, 0, 0, 0]]


def test_avg_pool_by_hand():
    x = gt.tensor(np.arange(16.0).reshape(1, 1, 4, 4), dtype="float64", requires_grad=True)
    out = avg_pool2d(x, 2)
    assert out.numpy()[0, 0].tolist() == [[2.5, 4.5], [10.5, 12.5]]
    out.sum().backward()
    assert np.all(x.grad.numpy() == 0.25)


def _compare(ours_fn, torch_fn, x, device, torch):
    mine = gt.tensor(x, dtype="float64", requires_grad=True, device=device)
    theirs = torch.tensor(x, requires_grad=True)
    out, expected = ours_fn(mine), torch_fn(theirs)
    upstream = np.random.default_rng(5).standard_normal(expected.shape)
    out.backward(gt.tensor(upstream, dtype="float64", device=device))
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(mine.grad.numpy(), theirs.grad.numpy(), rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", MAX_CASES)
def test_max_pool_matches_pytorch_with_many_ties(case, device):
    torch = pytest.importorskip("torch")
    shape, kernel, stride, padding, dilation, ceil_mode = case
    x = np.random.default_rng(6).integers(0, 3, size=shape).astype(float)  # small integers: ties everywhere
    _compare(lambda t: max_pool2d(t, kernel, stride, padding, dilation, ceil_mode),
             lambda t: torch.nn.functional.max_pool2d(t, kernel, stride or kernel, padding, dilation, ceil_mode),
             x, device, torch)


@pytest.mark.parametrize("case", MAX_CASES)
def test_max_pool_matches_pytorch_with_nans(case, device):
    """A window with NaNs outputs NaN and its gradient goes where PyTorch's goes: the last NaN."""
    torch = pytest.importorskip("torch")
    shape, kernel, stride, padding, dilation, ceil_mode = case
    rng = np.random.default_rng(8)
    x = rng.integers(0, 3, size=shape).astype(float)
    x[rng.random(shape) < 0.3] = np.nan  # some windows with one NaN, some with several
    _compare(lambda t: max_pool2d(t, kernel, stride, padding, dilation, ceil_mode),
             lambda t: torch.nn.functional.max_pool2d(t, kernel, stride or kernel, padding, dilation, ceil_mode),
             x, device, torch)


@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("case", AVG_CASES)
def test_avg_pool_matches_pytorch(case, count_include_pad, device):
    torch = pytest.importorskip("torch")
    shape, kernel, stride, padding, ceil_mode = case
    x = np.random.default_rng(7).standard_normal(shape)
    _compare(lambda t: avg_pool2d(t, kernel, stride, padding, ceil_mode, count_include_pad),
             lambda t: torch.nn.functional.avg_pool2d(t, kernel, stride, padding, ceil_mode,
                                                      count_include_pad), x, device, torch)


def test_ceil_mode_keeps_a_last_partial_window():
    """A 5-wide row pooled by 2: two windows, and with ceil_mode a third over the last cell alone."""
    x = gt.tensor(np.arange(10.0).reshape(1, 1, 2, 5), dtype="float64", requires_grad=True)
    assert max_pool2d(x, 2).shape == (1, 1, 1, 2)
    out = max_pool2d(x, 2, ceil_mode=True)
    assert out.numpy()[0, 0].tolist() == [[6.0, 8.0, 9.0]]
    assert avg_pool2d(x, 2, ceil_mode=True).numpy()[0, 0].tolist() == [[3.0, 5.0, 6.5]]  # (4 + 9) / 2 cells
    out.sum().backward()
    assert x.grad.numpy()[0, 0].tolist() == [[0, 0, 0, 0, 0], [0, 1, 0, 1, 1]]


def test_float32_stays_float32():
    out = max_pool2d(gt.randn(1, 1, 4, 4, requires_grad=True), 2)
    out.sum().backward()
    assert out.dtype == "float32" and avg_pool2d(gt.randn(1, 1, 4, 4), 2).dtype == "float32"


@pytest.mark.parametrize("call, message", [
    (lambda x: max_pool2d(x, 3, padding=2), "padding (2, 2) must be at most half the kernel"),
    (lambda x: avg_pool2d(x, 0), "kernel_size must be at least 1"),
    (lambda x: max_pool2d(x, 5), "does not fit the 4×4 input"),
    (lambda x: max_pool2d(x[0, 0], 2), "input must be (N, C, H, W) or (C, H, W)"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(gt.zeros(1, 1, 4, 4))


def test_a_1x1_max_pool_returns_a_new_array_not_a_view_of_its_input():
    from graphlab.tensor import tensor
    from graphlab.tensor.pool import max_pool2d

    x = tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    out = max_pool2d(x, 1)
    out.data[...] = 0.0
    assert x.numpy().tolist() == [[[[1.0, 2.0], [3.0, 4.0]]]]
