"""Initialisation: the statistics of each scheme, fans of convs, gains, and the symmetry failure of constant init."""

from __future__ import annotations

import math

import numpy as np
import pytest

import graphlab.tensor as gt
from graphlab import nn, optim
from graphlab.nn import functional as F
from graphlab.nn import init


def big(shape=(1000, 400)):
    return gt.zeros(shape, dtype="float64")


def test_kaiming_normal_std_is_gain_over_root_fan_in():
    w = init.kaiming_normal_(big(), generator=gt.Generator(0))
    assert w.numpy().std() == pytest.approx(math.sqrt(2) / math.sqrt(400), rel=0.01)
    assert abs(w.numpy().mean()) < 0.002


def test_kaiming_fan_out_and_leaky_gain():
    w = init.kaiming_normal_(big(), a=0.2, mode="fan_out", nonlinearity="leaky_relu", generator=gt.Generator(1))
    assert w.numpy().std() == pytest.approx(math.sqrt(2 / (1 + 0.04)) / math.sqrt(1000), rel=0.01)


def test_kaiming_uniform_bound_and_std():
    w = init.kaiming_uniform_(big(), generator=gt.Generator(2)).numpy()
    bound = math.sqrt(2) * math.sqrt(3 / 400)
    assert w.max() <= bound and w.min() >= -bound and w.max() > 0.99 * bound
    assert w.std() == pytest.approx(math.sqrt(2 / 400), rel=0.01)


@pytest.mark.parametrize("scheme", [init.xavier_normal_, init.xavier_uniform_])
def test_xavier_std_uses_both_fans(scheme):
    w = scheme(big(), gain=init.calculate_gain("tanh"), generator=gt.Generator(3)).numpy()
    assert w.std() == pytest.approx(5 / 3 * math.sqrt(2 / 1400), rel=0.01)


def test_small_random_and_constants():
    assert init.small_random_(big(), generator=gt.Generator(4)).numpy().std() == pytest.approx(0.01, rel=0.01)
    assert np.all(init.constant_(big((3, 3)), 0.5).numpy() == 0.5)
    assert np.all(init.zeros_(gt.ones(4)).numpy() == 0)


def test_conv_fan_in_counts_the_kernel_and_the_input_channels():
    conv = nn.Conv2d(16, 64, 3)
    assert init.fan_in_and_fan_out(conv.weight) == (16 * 9, 64 * 9)
    w = init.kaiming_normal_(gt.zeros(256, 32, 5, 5, dtype="float64"), generator=gt.Generator(5))
    assert w.numpy().std() == pytest.approx(math.sqrt(2 / (32 * 25)), rel=0.01)


def test_gains_and_fans_match_torch():
    torch = pytest.importorskip("torch")
    for name, param in [("linear", None), ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None),
                        ("leaky_relu", 0.2), ("selu", None), ("conv2d", None)]:
        assert init.calculate_gain(name, param) == pytest.approx(torch.nn.init.calculate_gain(name, param))
    # PyTorch's default Linear/Conv init: U(−1/√fan_in, 1/√fan_in)
    w = nn.Conv2d(8, 300, 3).weight.numpy()
    bound = 1 / math.sqrt(72)
    assert w.max() <= bound and w.min() >= -bound and w.std() == pytest.approx(bound / math.sqrt(3), rel=0.03)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="unknown nonlinearity 'swishy'"):
        init.calculate_gain("swishy")
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.kaiming_normal_(gt.zeros(5))
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out'"):
        init.kaiming_normal_(gt.zeros(5, 5), mode="fan")


def hidden_units_after_training(scheme, steps=20):
    """Train a 4-16-3 tanh MLP; return its first layer's weights (one row per hidden unit)."""
    gt.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3)).double()
    for layer in (model[0], model[2]):
        scheme(layer.weight)
        init.zeros_(layer.bias)
    x = gt.randn(32, 4, dtype="float64")
    y = gt.tensor(np.arange(32) % 3)
    opt = optim.SGD(model.parameters(), lr=0.5)
    for _ in range(steps):
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return model[0].weight.numpy()


@pytest.mark.parametrize("value", [0.0, 0.3])
def test_constant_init_never_breaks_the_symmetry(value):
    rows = hidden_units_after_training(lambda w: init.constant_(w, value))
    np.testing.assert_allclose(rows, np.broadcast_to(rows[0], rows.shape), rtol=0, atol=1e-12,
                               err_msg="every hidden unit learned the same weights")
    if value == 0.0:
        assert np.all(rows == 0), "with all zeros the first layer gets no gradient at all"
    else:
        assert np.abs(rows - value).max() > 1e-3, "the weights did train, all in the same way"


def test_random_init_gives_distinct_hidden_units():
    rows = hidden_units_after_training(lambda w: init.xavier_normal_(w, generator=gt.Generator(0)))
    assert np.min(np.linalg.norm(rows[:, None] - rows[None], axis=2) + np.eye(16)) > 1e-3


def test_zero_residual_branch_starts_each_block_as_the_identity():
    block = nn.ResidualBlock.mlp(5, zero_init=True)
    assert np.all(block.branch[4].weight.numpy() == 0)
    x = gt.randn(6, 5)
    np.testing.assert_allclose(block(x).numpy(), np.maximum(x.numpy(), 0), atol=1e-7)
    linear_branch = nn.ResidualBlock(nn.Sequential(nn.Linear(5, 5), nn.ReLU(), nn.Linear(5, 5)))
    init.zero_residual_branch_(linear_branch)
    np.testing.assert_array_equal(linear_branch(x).numpy(), x.numpy())
