"""conv2d: finite differences on every backend, PyTorch parity, a hand-checked case, clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from tensor_checks import gradcheck

import graphlab.tensor as gt
from graphlab.backend import get_backend
from graphlab.tensor.conv import conv2d

# (batch, in channels, height, width, out channels, kernel, stride, padding, dilation, groups)
CASES = [
    (2, 3, 5, 6, 4, 3, 1, 0, 1, 1),
    (1, 2, 7, 6, 3, (3, 2), (2, 1), (1, 2), 1, 1),
    (2, 4, 6, 7, 4, 2, 1, 1, (2, 1), 2),
    (1, 4, 5, 5, 6, 1, 2, 0, 1, 2),
    (2, 3, 4, 4, 2, 3, 1, 1, 1, 1),
    (2, 3, 5, 6, 4, (2, 3), 1, "same", 1, 1),  # an even kernel: one more row of padding at the bottom
    (1, 2, 6, 5, 2, 3, 1, "same", (2, 1), 2),
    (1, 2, 5, 5, 3, 3, 1, "valid", 1, 1),
]


def random_case(case, seed=0):
    n, c, h, w, o, kernel, *_, groups = case
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, c, h, w)), rng.standard_normal((o, c // groups, kh, kw)),
            rng.standard_normal(o))


@pytest.mark.parametrize("case", CASES)
def test_gradients_match_central_differences(case, device):
    *_, stride, padding, dilation, groups = case
    gradcheck(lambda lib, x, w, b: conv2d(x, w, b, stride, padding, dilation, groups),
                    list(random_case(case)), device)


def test_non_contiguous_input_and_weight(device):
    rng = np.random.default_rng(1)
    base = rng.standard_normal((2, 3, 6, 9))  # used as x[..., ::2] transposed: (2, 3, 5, 6)
    weight = rng.standard_normal((3, 2, 2, 4))  # used transposed: (2, 3, 4, 2) → out (2, 2, 2, 5)

    def fn(lib, b, w):
        x = b[:, :, :, ::2].transpose(2, 3)
        return conv2d(x, w.permute(1, 0, 3, 2), stride=(1, 1), padding=(0, 1))

    gradcheck(fn, [base, weight], device)


@pytest.mark.parametrize("case", [CASES[0], CASES[2]])  # batches of two
def test_columns_built_image_by_image_give_the_same_result(case, device, monkeypatch):
    """A batch split into chunks of one image (as large batches are) still sums dW over all of them."""
    *_, stride, padding, dilation, groups = case
    arrays = list(random_case(case, seed=5))
    whole = conv2d(*[gt.tensor(a, dtype="float64", device=device) for a in arrays],
                   stride, padding, dilation, groups).numpy()
    monkeypatch.setattr(get_backend(device).xp, "chunk_elements", 1)
    gradcheck(lambda lib, x, w, b: conv2d(x, w, b, stride, padding, dilation, groups), arrays, device)
    pieces = conv2d(*[gt.tensor(a, dtype="float64", device=device) for a in arrays],
                    stride, padding, dilation, groups).numpy()
    np.testing.assert_allclose(pieces, whole, rtol=0, atol=1e-12)


def test_window_sums_by_hand():
    """A 2×2 kernel of ones on 0…8 sums each window; the gradient counts how many windows use each pixel."""
    x = gt.tensor(np.arange(9.0).reshape(1, 1, 3, 3), dtype="float64", requires_grad=True)
    w = gt.tensor(np.ones((1, 1, 2, 2)), dtype="float64", requires_grad=True)
    out = conv2d(x, w)
    assert out.numpy().tolist() == [[[[0 + 1 + 3 + 4, 1 + 2 + 4 + 5], [3 + 4 + 6 + 7, 4 + 5 + 7 + 8]]]]
    out.sum().backward()
    assert x.grad.numpy()[0, 0].tolist() == [[1, 2, 1], [2, 4, 2], [1, 2, 1]]
    assert w.grad.numpy()[0, 0].tolist() == [[8, 12], [20, 24]]  # sum of each offset's 2×2 block


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")  # PyTorch's note on its own copy
@pytest.mark.parametrize("dtype, tolerance", [("float64", 1e-12), ("float32", 2e-5)])
@pytest.mark.parametrize("case", CASES)
def test_matches_pytorch(case, device, dtype, tolerance):
    torch = pytest.importorskip("torch")
    *_, stride, padding, dilation, groups = case
    x, w, b = random_case(case, seed=3)
    ours = [gt.tensor(a, dtype=dtype, requires_grad=True, device=device) for a in (x, w, b)]
    theirs = [torch.tensor(a, dtype=getattr(torch, dtype), requires_grad=True) for a in (x, w, b)]
    out = conv2d(*ours, stride, padding, dilation, groups)
    expected = torch.nn.functional.conv2d(*theirs, stride, padding, dilation, groups)
    upstream = np.random.default_rng(4).standard_normal(expected.shape)
    out.backward(gt.tensor(upstream, dtype=dtype, device=device))
    expected.backward(torch.tensor(upstream, dtype=getattr(torch, dtype)))
    scale = max(1.0, float(expected.detach().abs().max()))
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=0, atol=tolerance * scale)
    for mine, reference in zip(ours, theirs):
        scale = max(1.0, float(reference.grad.abs().max()))
        np.testing.assert_allclose(mine.grad.numpy(), reference.grad.numpy(), rtol=0, atol=tolerance * scale)


def test_only_the_inputs_that_need_gradients_get_them():
    x = gt.randn(1, 2, 4, 4, dtype="float64")
    w = gt.randn(3, 2, 3, 3, dtype="float64", requires_grad=True)
    conv2d(x, w).sum().backward()
    assert x.grad is None and w.grad.shape == (3, 2, 3, 3)


def test_node_records_its_geometry():
    out = conv2d(gt.randn(1, 2, 5, 5, requires_grad=True), gt.randn(4, 1, 3, 3), stride=2, padding=1, groups=2)
    assert out.shape == (1, 4, 3, 3)
    assert out.grad_fn.label == "conv 3×3"
    assert out.grad_fn.params == {"kernel": (3, 3), "stride": (2, 2), "padding": (1, 1),
                                  "dilation": (1, 1), "groups": 2}


@pytest.mark.parametrize("x_shape, w_shape, kwargs, message", [
    ((1, 3, 5, 5), (2, 2, 3, 3), {}, "input has 3 channels"),
    ((1, 4, 5, 5), (3, 2, 3, 3), {"groups": 2}, "do not split into groups=2"),
    ((1, 1, 2, 2), (1, 1, 3, 3), {}, "does not fit the 2×2 input"),
    ((3, 5, 5), (1, 3, 3, 3), {}, "input must be (N, C, H, W)"),
    ((1, 1, 5, 5), (1, 1, 3, 3), {"stride": 0}, "stride must be at least 1"),
    ((1, 1, 5, 5), (1, 1, 3, 3), {"padding": (1, 1, 1)}, "padding must be an int or a pair"),
    ((1, 1, 5, 5), (1, 1, 3, 3), {"padding": "full"}, "padding must be an int, a pair of ints, 'same' or 'valid'"),
    ((1, 1, 5, 5), (1, 1, 3, 3), {"padding": "same", "stride": 2}, "padding='same' keeps the size only with stride 1"),
])
def test_bad_arguments_are_named(x_shape, w_shape, kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        conv2d(gt.zeros(*x_shape), gt.zeros(*w_shape), **kwargs)


def test_mixed_dtypes_are_refused():
    with pytest.raises(TypeError, match="input is float64 but weight is float32"):
        conv2d(gt.zeros(1, 1, 3, 3, dtype="float64"), gt.zeros(1, 1, 2, 2))


@pytest.mark.parametrize("case", [CASES[0], CASES[2], CASES[4]])
def test_weight_gradient_alone_matches_pytorch(case, device):
    """An input that needs no gradient (the images of a first layer) takes the backward pass without col2im."""
    torch = pytest.importorskip("torch")
    *_, stride, padding, dilation, groups = case
    x, w, b = random_case(case, seed=6)
    ours = [gt.tensor(x, dtype="float64", device=device)] + [
        gt.tensor(a, dtype="float64", requires_grad=True, device=device) for a in (w, b)]
    theirs = [torch.tensor(x)] + [torch.tensor(a, requires_grad=True) for a in (w, b)]
    out = conv2d(*ours, stride, padding, dilation, groups)
    expected = torch.nn.functional.conv2d(*theirs, stride, padding, dilation, groups)
    upstream = np.random.default_rng(7).standard_normal(expected.shape)
    out.backward(gt.tensor(upstream, dtype="float64", device=device))
    expected.backward(torch.tensor(upstream))
    assert ours[0].grad is None
    for mine, reference in zip(ours[1:], theirs[1:]):
        np.testing.assert_allclose(mine.grad.numpy(), reference.grad.numpy(), rtol=0, atol=1e-10)
