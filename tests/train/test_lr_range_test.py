"""The learning-rate range test: an exponential sweep that finds where the loss falls fastest and where it explodes."""

import numpy
import pytest
from train_helpers import mlp

from graphlab.data import DataLoader, make_spirals
from graphlab.train import lr_range_test


@pytest.fixture
def loader():
    return DataLoader(make_spirals(points_per_class=60, classes=3, noise=0.1, seed=0), batch_size=60,
                      shuffle=True, seed=0)


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
def test_sweep_finds_a_fast_rate_below_the_explosion_and_restores_the_model(loader):
    model = mlp(hidden=32, classes=3)
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    result = lr_range_test(model, None, loader, start_lr=1e-4, end_lr=1e4, num_iters=80)
    ratios = numpy.array(result.lrs[1:]) / numpy.array(result.lrs[:-1])
    numpy.testing.assert_allclose(ratios, (1e8) ** (1 / 79), rtol=1e-9)  # exponential: a constant ratio
    assert result.lrs[0] == pytest.approx(1e-4)
    assert result.explode_lr is not None and result.steepest_lr < result.explode_lr
    assert 1e-3 < result.steepest_lr < 1e2
    assert min(result.losses) < result.losses[0]
    for name, value in model.state_dict().items():
        numpy.testing.assert_array_equal(value.numpy(), before[name])
    assert "falls fastest" in str(result) and "explodes" in str(result)


def test_steepest_is_where_the_smoothed_loss_drops_most_per_decade(loader):
    model = mlp(hidden=32, classes=3)
    result = lr_range_test(model, None, loader, start_lr=1e-4, end_lr=1.0, num_iters=40)
    slope = numpy.gradient(result.losses, numpy.log(result.lrs))
    skip = len(slope) // 10  # the running average of the first steps rests on a few batches
    assert result.steepest_lr == result.lrs[skip + int(numpy.argmin(slope[skip:]))]
    assert slope[skip:].min() < 0


def test_bad_ranges_are_refused(loader):
    with pytest.raises(ValueError, match="expected 0 < start_lr < end_lr"):
        lr_range_test(mlp(), None, loader, start_lr=1.0, end_lr=0.1)


def test_the_optimizer_state_and_the_model_mode_are_restored(loader):
    from graphlab.nn.functional import cross_entropy
    from graphlab.optim import Adam

    model = mlp(hidden=16, classes=3)
    optimizer = Adam(model.parameters(), lr=1e-3)
    for x, y in loader:  # a few real steps, so Adam holds moments and a step count
        optimizer.zero_grad()
        cross_entropy(model(x), y).backward()
        optimizer.step()
    before = optimizer.state_dict()
    moments = {k: {n: _host(v) for n, v in s.items()} for k, s in before["state"].items()}
    model.eval()
    lr_range_test(model, None, loader, optimizer, start_lr=1e-4, end_lr=1.0, num_iters=10)
    after = optimizer.state_dict()
    assert after["param_groups"][0]["lr"] == 1e-3
    assert model.training is False
    assert set(after["state"]) == set(moments)
    for key, buffers in moments.items():
        for name, value in buffers.items():
            numpy.testing.assert_array_equal(_host(after["state"][key][name]), value, err_msg=f"{key}/{name}")


def _host(value):
    return numpy.array(value.numpy() if hasattr(value, "numpy") else value)


def test_a_loss_that_is_not_finite_at_the_start_is_a_clear_error(loader):
    def nan_loss(logits, y):
        return logits.sum() * float("nan")

    with pytest.raises(ValueError, match="not finite at start_lr"):
        lr_range_test(mlp(classes=3), nan_loss, loader, start_lr=1e-4, end_lr=1.0, num_iters=10)
