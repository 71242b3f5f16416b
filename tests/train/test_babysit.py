"""Babysitting: initial loss ≈ ln C and rising with regularisation; overfitting 20 examples."""

import math

import numpy
import pytest
from train_helpers import as_tensors, mlp

from graphlab import nn, optim
from graphlab.data import make_spirals
from graphlab.tensor import no_grad
from graphlab.train import check_initial_loss, l2_penalty, overfit_small_subset


def small_output_layer(model, scale=1e-3):
    """The lecture's advice for a clean check: a near-zero last layer makes every class equally likely."""
    with no_grad():
        model[-1].weight.mul_(scale)
        model[-1].bias.zero_()
    return model


def test_initial_loss_is_ln_c_and_rises_with_regularisation(spirals):
    x, y = as_tensors(spirals)
    model = small_output_layer(mlp(classes=3))
    check = check_initial_loss(model, x, y, num_classes=3, strengths=(0.0, 1e-3, 1e-1, 1.0))
    assert check.expected == pytest.approx(math.log(3))
    assert check.loss == pytest.approx(math.log(3), abs=1e-3)
    assert check.near_chance and check.rises_with_regularization
    assert "initial loss" in str(check) and "ok" in str(check)


def test_the_penalty_is_the_sum_of_squared_weights_without_biases():
    model = mlp(classes=3)
    expected = sum(float((p.numpy().astype(numpy.float64) ** 2).sum())
                   for name, p in model.named_parameters() if name.endswith("weight"))
    assert l2_penalty(model).item() == pytest.approx(expected, rel=1e-5)


def test_a_badly_scaled_output_layer_is_flagged(spirals):
    x, y = as_tensors(spirals)
    model = small_output_layer(mlp(classes=3), scale=300.0)
    check = check_initial_loss(model, x, y, num_classes=3)
    assert not check.near_chance
    assert "CHECK" in str(check)


def test_a_penalty_that_is_not_added_is_noticed(spirals):
    x, y = as_tensors(spirals)
    model = small_output_layer(mlp(classes=3))
    check = check_initial_loss(model, x, y, 3, penalty=lambda m: l2_penalty(m) * 0.0)
    assert not check.rises_with_regularization
    assert "does not rise" in str(check)


def test_twenty_examples_are_overfit_to_100_percent():
    x, y = as_tensors(make_spirals(points_per_class=40, classes=3, noise=0.3, seed=2))
    order = numpy.random.default_rng(0).permutation(120)[:20]  # a mix of the three classes
    x, y = x[order], y[order]
    model = mlp(hidden=64, classes=3)
    result = overfit_small_subset(model, optim.Adam(model.parameters(), lr=1e-2), x, y, count=20)
    assert result.succeeded and result.accuracy == 1.0
    assert result.losses[-1] <= 0.05 < result.losses[0]
    with no_grad():
        assert (model(x).numpy().argmax(axis=1) == y.numpy()).all()
    assert "overfit 100%" in str(result)


def test_a_model_that_cannot_learn_is_reported(spirals):
    x, y = as_tensors(spirals)
    model = nn.Sequential(nn.Linear(2, 3))  # a linear classifier cannot separate spirals
    result = overfit_small_subset(model, optim.SGD(model.parameters(), lr=0.0), x, y, count=60, max_steps=20)
    assert not result.succeeded and result.steps == 20
    assert "could not overfit" in str(result)


def test_check_initial_loss_restores_training_mode_when_the_loss_fails(spirals):
    x, y = as_tensors(spirals)
    model = mlp(classes=3)

    def broken_loss(logits, targets):
        raise RuntimeError("wrong number of classes")

    with pytest.raises(RuntimeError, match="wrong number of classes"):
        check_initial_loss(model, x, y, 3, loss_fn=broken_loss)
    assert model.training


def test_a_model_without_weight_matrices_gets_a_clear_penalty_error(spirals):
    class Bias(nn.Module):
        def __init__(self):
            super().__init__()
            self.bias = nn.Parameter(numpy.zeros(3, numpy.float32))

        def forward(self, x):
            return x[:, :1] * 0 + self.bias

    x, y = as_tensors(spirals)
    with pytest.raises(ValueError, match="l2_penalty: Bias has no weight matrix or kernel"):
        l2_penalty(Bias())
    check = check_initial_loss(Bias(), x, y, 3, penalty=None)
    assert check.loss == pytest.approx(math.log(3), abs=1e-6) and list(check.losses) == [0.0]
