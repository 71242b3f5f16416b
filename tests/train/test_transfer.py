"""Transfer learning helpers: frozen layers do not move, the head is re-initialised, param groups get their rates."""

import numpy
import pytest
from train_helpers import as_tensors, mlp

from graphlab import nn, optim
from graphlab.train import fine_tune_groups, freeze, parameter_layers, reinitialize, unfreeze


def snapshot(model):
    return {name: p.numpy().copy() for name, p in model.named_parameters()}


def one_step(model, optimizer, spirals):
    x, y = as_tensors(spirals)
    loss = nn.functional.cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def moved(before, model):
    return {name for name, p in model.named_parameters() if not numpy.array_equal(before[name], p.numpy())}


def test_frozen_features_stay_and_the_new_head_trains(spirals):
    model = mlp(classes=3)
    freeze(model)
    reinitialize(unfreeze(model[-1]))
    assert [p.requires_grad for p in model.parameters()] == [False] * 4 + [True] * 2
    before = snapshot(model)
    one_step(model, optim.SGD(model.parameters(), lr=0.5), spirals)
    assert moved(before, model) == {"4.weight", "4.bias"}


def test_reinitialize_draws_new_weights_in_the_default_range():
    model = mlp(hidden=16, classes=3)
    head = model[-1]
    old = head.weight.numpy().copy()
    reinitialize(head)
    new = head.weight.numpy()
    assert new.shape == old.shape and not numpy.array_equal(new, old)
    assert numpy.abs(new).max() <= 1 / numpy.sqrt(16)
    with pytest.raises(TypeError, match="has no layer with reset_parameters"):
        reinitialize(nn.ReLU())


def test_fine_tuning_the_last_two_layers_with_their_own_rates(spirals):
    model = mlp(classes=3)
    groups = fine_tune_groups(model, last=2, lr=1e-3, head_lr=1e-2)
    assert [g["lr"] for g in groups] == [1e-3, 1e-2]
    assert [len(g["params"]) for g in groups] == [2, 2]
    assert groups[1]["params"][0] is model[-1].weight
    optimizer = optim.SGD(groups, lr=0.1)
    assert [g["lr"] for g in optimizer.param_groups] == [1e-3, 1e-2]
    before = snapshot(model)
    one_step(model, optimizer, spirals)
    assert moved(before, model) == {"2.weight", "2.bias", "4.weight", "4.bias"}


def test_the_smaller_rate_moves_its_layer_by_exactly_that_much(spirals):
    model = mlp(classes=3)
    optimizer = optim.SGD(fine_tune_groups(model, last=2, lr=1e-3, head_lr=1e-2))
    before = snapshot(model)
    one_step(model, optimizer, spirals)
    grad = model[2].weight.grad.numpy()
    numpy.testing.assert_allclose(model[2].weight.numpy(), before["2.weight"] - 1e-3 * grad, rtol=1e-5, atol=1e-8)


def test_layers_are_listed_in_order_and_bad_counts_are_refused():
    model = mlp(classes=3)
    assert [name for name, _ in parameter_layers(model)] == ["0", "2", "4"]
    with pytest.raises(ValueError, match="last=4; the model has 3 layers with parameters"):
        fine_tune_groups(model, last=4, lr=1e-3)


def test_a_head_of_several_layers_shares_the_head_rate():
    model = mlp(classes=3)
    groups = fine_tune_groups(model, last=3, lr=1e-4, head_lr=1e-2, head_layers=2)
    assert [g["lr"] for g in groups] == [1e-4, 1e-2]
    assert groups[0]["params"] == [model[0].weight, model[0].bias]
    assert groups[1]["params"] == [model[2].weight, model[2].bias, model[4].weight, model[4].bias]
    with pytest.raises(ValueError, match="head_layers=3; expected 1 to last=2"):
        fine_tune_groups(model, last=2, lr=1e-3, head_layers=3)
