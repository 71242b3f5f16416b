"""fit: it learns, keeps a history, follows the schedule, saves the best epoch, and stops on NaN with a message."""

import io
import math

import numpy
import pytest
from rich.console import Console
from train_helpers import mlp

from graphlab import nn, optim
from graphlab.optim.lr_scheduler import StepLR
from graphlab.train import evaluate, fit, load_checkpoint


def test_fit_learns_moons_and_records_each_epoch(moons_loaders):
    train, val = moons_loaders
    model = mlp()
    history = fit(model, optim.Adam(model.parameters(), lr=1e-2), train, val, epochs=8, progress=False)
    assert len(history.epochs) == 8 and history.stopped is None
    assert set(history.epochs[0]) == {"epoch", "train_loss", "train_acc", "lr", "seconds", "val_loss", "val_acc"}
    assert history["val_acc"][-1] > 0.95
    assert history["train_loss"][-1] < history["train_loss"][0] / 3
    assert len(history.step_losses) == 8 * len(train)
    assert history.best["val_acc"] == max(history["val_acc"])


def test_history_accuracy_and_loss_agree_with_a_separate_evaluation(moons_loaders):
    train, val = moons_loaders
    model = mlp()
    history = fit(model, optim.SGD(model.parameters(), lr=0.1), train, val, epochs=2, progress=False)
    again = evaluate(model, val)
    assert history["val_acc"][-1] == pytest.approx(again["acc"])
    assert history["val_loss"][-1] == pytest.approx(again["loss"], rel=1e-6)


def test_the_schedule_steps_per_epoch_or_per_step(moons_loaders):
    train, _ = moons_loaders
    model = mlp()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    history = fit(model, optimizer, train, epochs=4, scheduler=StepLR(optimizer, step_size=2, gamma=0.5),
                  progress=False)
    assert history["lr"] == pytest.approx([0.1, 0.1, 0.05, 0.05])  # the rate each epoch trained with

    optimizer = optim.SGD(model.parameters(), lr=0.1)
    scheduler = StepLR(optimizer, step_size=len(train), gamma=0.1)
    fit(model, optimizer, train, epochs=2, scheduler=scheduler, schedule_per="step", progress=False)
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1 * 0.1 ** 2)


def test_the_best_epoch_is_the_one_checkpointed(moons_loaders, tmp_path):
    train, val = moons_loaders
    model = mlp()
    optimizer = optim.Adam(model.parameters(), lr=3e-2)
    history = fit(model, optimizer, train, val, epochs=5, checkpoint=tmp_path / "best.npz", progress=False)
    restored = mlp(seed=7)
    extra = load_checkpoint(tmp_path / "best.npz", restored)
    assert extra["epoch"] == history.best["epoch"]
    assert evaluate(restored, val)["acc"] == pytest.approx(history.best["val_acc"])


def test_nan_stops_training_at_its_step_with_the_rate(moons_loaders):
    train, _ = moons_loaders
    model = mlp()
    calls = []

    def loss_fn(logits, targets):
        calls.append(1)
        loss = nn.functional.cross_entropy(logits, targets)
        return loss * math.nan if len(calls) == 11 else loss

    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    optimizer = optim.SGD(model.parameters(), lr=0.05)
    history = fit(model, optimizer, train, epochs=3, loss_fn=loss_fn, progress=False)
    assert history.stopped == "loss became NaN at step 11; the learning rate 0.05 is probably too high"
    assert len(history.step_losses) == 10 and len(history.epochs) == 1  # 8 steps per epoch
    assert any(not numpy.array_equal(before[k], v.numpy()) for k, v in model.state_dict().items())


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
def test_a_huge_learning_rate_diverges_and_is_reported(moons_loaders):
    train, _ = moons_loaders
    model = mlp()
    output = io.StringIO()
    console = Console(file=output, width=120, force_terminal=False)
    scaled = [(x * 1e3, y) for x, y in train]  # large inputs: a rate of 1e6 overflows in a few steps
    history = fit(model, optim.SGD(model.parameters(), lr=1e6), scaled, epochs=20, console=console)
    assert history.stopped is not None
    assert history.stopped.startswith("loss became ")
    assert history.stopped.endswith("; the learning rate 1e+06 is probably too high")
    assert history.stopped in output.getvalue()


def test_progress_prints_one_line_per_epoch(moons_loaders):
    train, val = moons_loaders
    model = mlp()
    output = io.StringIO()
    fit(model, optim.Adam(model.parameters(), lr=1e-2), train, val, epochs=2,
        console=Console(file=output, width=150, force_terminal=False))
    lines = [line for line in output.getvalue().splitlines() if line.startswith("epoch")]
    assert len(lines) == 2
    assert "train loss" in lines[0] and "val loss" in lines[0] and "lr 0.01" in lines[0]


def test_evaluate_restores_training_mode(moons_loaders):
    _, val = moons_loaders
    model = mlp()
    model.train()
    evaluate(model, val)
    assert model.training
    model.eval()
    evaluate(model, val)
    assert not model.training


def test_a_bad_option_is_named(moons_loaders):
    train, _ = moons_loaders
    model = mlp()
    with pytest.raises(ValueError, match="schedule_per='batch'; expected 'epoch' or 'step'"):
        fit(model, optim.SGD(model.parameters(), lr=0.1), train, schedule_per="batch", progress=False)


def test_regression_trains_and_reports_no_accuracy():
    from graphlab.data import DataLoader

    rng = numpy.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype(numpy.float32)
    y = (x @ numpy.array([[1.0], [-2.0], [0.5]], numpy.float32))
    model = nn.Sequential(nn.Linear(3, 1))
    history = fit(model, optim.SGD(model.parameters(), lr=0.1), DataLoader((x, y), batch_size=16),
                  epochs=20, loss_fn=nn.functional.mse_loss, progress=False)
    assert history["train_loss"][-1] < 1e-3
    assert math.isnan(history["train_acc"][-1])


def test_evaluate_restores_training_mode_when_the_model_fails(moons_loaders):
    _, val = moons_loaders
    model = mlp()

    def broken_loss(logits, y):
        raise RuntimeError("shape mismatch in the loss")

    with pytest.raises(RuntimeError, match="shape mismatch"):
        evaluate(model, val, broken_loss)
    assert model.training


def test_evaluate_on_an_empty_loader_says_so():
    from graphlab.data import DataLoader

    empty = DataLoader((numpy.zeros((0, 2), numpy.float32), numpy.zeros(0, numpy.int64)), batch_size=4)
    model = mlp()
    with pytest.raises(ValueError, match="evaluate: the loader yields no examples"):
        evaluate(model, empty)
    assert model.training
