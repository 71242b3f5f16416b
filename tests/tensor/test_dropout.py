"""dropout: inverted scaling, the mask kept on the node, identity at evaluation, gradients, PyTorch's convention."""

from __future__ import annotations

import numpy as np
import pytest
from tensor_checks import gradcheck

import graphlab.tensor as gt
from graphlab.backend import get_backend
from graphlab.tensor.dropout import dropout


def test_gradients_match_central_differences(device):
    x = np.random.default_rng(0).standard_normal((4, 6))
    # A fresh generator with the same seed draws the same mask on every call.
    gradcheck(lambda lib, t: dropout(t, 0.4, generator=gt.Generator(7)), [x], device)


def test_mask_is_recorded_and_used_both_ways(device):
    x = gt.randn(50, 40, dtype="float64", requires_grad=True, device=device)
    out = dropout(x, 0.25, generator=gt.Generator(1))
    mask = np.asarray(get_backend(device).to_host(out.grad_fn.mask))
    assert mask.dtype == bool and mask.shape == (50, 40)
    np.testing.assert_allclose(out.numpy(), np.where(mask, x.numpy() / 0.75, 0.0), rtol=1e-15)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.where(mask, 1 / 0.75, 0.0), rtol=1e-15)
    assert out.grad_fn.params == {"p": 0.25} and out.grad_fn.label == "dropout(0.25)"


def test_keeps_about_one_minus_p_and_the_mean():
    x = gt.ones(200, 500)
    out = dropout(x, 0.3, generator=gt.Generator(2)).numpy()
    kept = (out != 0).mean()
    assert abs(kept - 0.7) < 0.005  # 100,000 draws: the standard error is 0.0014
    assert abs(out.mean() - 1.0) < 0.01


def test_same_seed_same_mask_other_seed_other_mask():
    x = gt.ones(30, 30)
    first = dropout(x, 0.5, generator=gt.Generator(3)).numpy()
    again = dropout(x, 0.5, generator=gt.Generator(3)).numpy()
    other = dropout(x, 0.5, generator=gt.Generator(4)).numpy()
    assert np.array_equal(first, again) and not np.array_equal(first, other)


def test_evaluation_and_p_zero_are_the_identity():
    x = gt.randn(3, 4, requires_grad=True)
    assert dropout(x, 0.5, training=False) is x
    assert dropout(x, 0.0) is x


def test_p_one_drops_everything():
    x = gt.randn(3, 4, requires_grad=True)
    out = dropout(x, 1.0)
    out.sum().backward()
    assert not out.numpy().any() and not x.grad.numpy().any()


def test_scaling_is_pytorch_s():
    """Kept units are multiplied by 1/(1 − p), as torch.nn.functional.dropout does, in float32 as well."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    theirs = torch.nn.functional.dropout(torch.full((1000,), 2.0), p=0.2)
    ours = dropout(gt.full((1000,), 2.0), 0.2, generator=gt.Generator(0))
    kept_theirs = set(theirs[theirs != 0].tolist())
    kept_ours = set(ours.numpy()[ours.numpy() != 0].tolist())
    assert kept_ours == kept_theirs and len(kept_ours) == 1 and ours.dtype == "float32"


@pytest.mark.parametrize("p", [-0.1, 1.5, "half", True])
def test_bad_probability_is_named(p):
    with pytest.raises(ValueError, match="p must be a probability between 0 and 1"):
        dropout(gt.ones(2), p)
