"""Random search in log space: the draws, the ranking, the narrowing, the table."""

import math

import numpy
import pytest
from rich.console import Console

from graphlab.train.search import LogUniform, Uniform, coarse_to_fine, random_search


def bowl(params):
    """A score peaked at lr = 1e-3, reg = 1e-4 (in log space), like a validation accuracy."""
    return -((math.log10(params["lr"]) + 3) ** 2 + (math.log10(params["reg"]) + 4) ** 2)


SPACE = {"lr": LogUniform(1e-6, 1e0), "reg": LogUniform(1e-7, 1e-1)}


def test_log_uniform_is_uniform_in_the_exponent():
    rng = numpy.random.default_rng(0)
    draws = numpy.array([LogUniform(1e-5, 1e-1).sample(rng) for _ in range(4000)])
    assert draws.min() >= 1e-5 and draws.max() <= 1e-1
    decades = numpy.histogram(numpy.log10(draws), bins=4, range=(-5, -1))[0]
    assert decades.min() > 900 and decades.max() < 1100  # about 1000 in each decade


def test_results_are_ranked_best_first_and_nan_last():
    scores = iter([0.5, float("nan"), 0.9, 0.1])
    results = random_search(lambda p: next(scores), {"lr": LogUniform(1e-3, 1e-1)}, trials=4)
    ranked = [t.score for t in results.trials]
    assert ranked[:3] == [0.9, 0.5, 0.1] and math.isnan(ranked[3])
    assert results.best.score == 0.9


def test_minimising_a_loss_and_metrics_from_a_dict():
    results = random_search(lambda p: {"val_loss": p["lr"], "val_acc": 0.0}, {"lr": LogUniform(1e-3, 1.0)},
                            trials=5, metric="val_loss", maximize=False)
    losses = [t.score for t in results.trials]
    assert losses == sorted(losses)
    with pytest.raises(KeyError, match="expected 'val_acc'"):
        random_search(lambda p: {"loss": 1.0}, {"lr": LogUniform(1e-3, 1.0)}, trials=1)


def test_the_fine_search_narrows_around_the_best_and_finds_better():
    coarse, fine = coarse_to_fine(bowl, SPACE, coarse_trials=30, fine_trials=30, top=3, seed=1)
    narrowed = coarse.narrowed(SPACE, top=3, margin=0.25)
    for name, wide in SPACE.items():
        top_values = [t.params[name] for t in coarse.trials[:3]]
        assert narrowed[name].low <= min(top_values) and narrowed[name].high >= max(top_values)
        assert narrowed[name].high / narrowed[name].low < wide.high / wide.low
        assert all(narrowed[name].low <= t.params[name] <= narrowed[name].high for t in fine.trials)
    assert fine.best.score >= coarse.best.score
    assert abs(math.log10(fine.best.params["lr"]) + 3) < 0.5


def test_same_seed_same_trials():
    a = random_search(bowl, SPACE, trials=5, seed=4)
    b = random_search(bowl, SPACE, trials=5, seed=4)
    assert [t.params for t in a.trials] == [t.params for t in b.trials]


def test_uniform_narrowing_stays_inside_its_range():
    narrowed = Uniform(0.0, 1.0).around([0.05, 0.1], margin=0.2)
    assert narrowed == Uniform(0.0, pytest.approx(0.3))


def test_table_lists_every_trial_with_its_parameters():
    results = random_search(bowl, SPACE, trials=4, seed=2)
    console = Console(record=True, width=100)
    console.print(results.table())
    text = console.export_text()
    assert text.count("\n") >= 4 + 3
    for trial in results.trials:
        assert f"{trial.params['lr']:.3g}" in text and f"{trial.score:.4f}" in text


def test_log_uniform_refuses_a_non_positive_range():
    with pytest.raises(ValueError, match="expected 0 < low <= high"):
        LogUniform(0.0, 1.0)
