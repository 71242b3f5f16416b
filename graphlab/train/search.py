"""Random search of hyper-parameters in log space, coarse then fine (Bergstra & Bengio 2012).

Random points cover each important hyper-parameter with as many distinct values
as there are trials, where a grid repeats a few. Rates and strengths span
decades, so they are drawn uniformly in their logarithm. A coarse search over wide
ranges (a few epochs each) is followed by a fine one around the best trials.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy


@dataclass(frozen=True)
class LogUniform:
    """``10^u`` with ``u`` uniform between ``log10(low)`` and ``log10(high)``."""

    low: float
    high: float

    def __post_init__(self):
        if not 0 < self.low <= self.high:
            raise ValueError(f"LogUniform({self.low}, {self.high}): expected 0 < low <= high")

    def sample(self, rng) -> float:
        return float(10 ** rng.uniform(math.log10(self.low), math.log10(self.high)))

    def around(self, values: list[float], margin: float) -> LogUniform:
        """A narrower range covering ``values``, widened by ``margin`` decades on each side."""
        logs = numpy.log10(values)
        return LogUniform(float(max(10 ** (logs.min() - margin), self.low)),
                          float(min(10 ** (logs.max() + margin), self.high)))


@dataclass(frozen=True)
class Uniform:
    """Uniform between ``low`` and ``high`` (dropout probability, momentum)."""

    low: float
    high: float

    def sample(self, rng) -> float:
        return float(rng.uniform(self.low, self.high))

    def around(self, values: list[float], margin: float) -> Uniform:
        width = (self.high - self.low) * margin
        return Uniform(max(min(values) - width, self.low), min(max(values) + width, self.high))


@dataclass
class Trial:
    params: dict
    score: float
    metrics: dict = field(default_factory=dict)


@dataclass
class SearchResults:
    """Every trial, best first."""

    trials: list[Trial]
    metric: str

    @property
    def best(self) -> Trial:
        return self.trials[0]

    def narrowed(self, space: dict, top: int = 3, margin: float = 0.25) -> dict:
        """The search space around the ``top`` trials: the next, finer search."""
        chosen = [t for t in self.trials if math.isfinite(t.score)][:top] or self.trials[:top]
        return {name: dist.around([t.params[name] for t in chosen], margin) for name, dist in space.items()}

    def table(self, title: str = "random search"):
        """A rich ``Table`` of the trials, best first."""
        from rich.table import Table

        table = Table(title=title)
        names = list(self.trials[0].params) if self.trials else []
        for name in ["#", *names, self.metric]:
            table.add_column(name, justify="right")
        for rank, trial in enumerate(self.trials, 1):
            table.add_row(str(rank), *(f"{trial.params[n]:.3g}" for n in names), f"{trial.score:.4f}")
        return table


def random_search(objective, space: dict, trials: int, seed: int = 0, metric: str = "val_acc",
                  maximize: bool = True) -> SearchResults:
    """Call ``objective(params)`` for ``trials`` random points of ``space``; NaN scores rank last.

    ``objective`` returns a number or a dict of metrics holding ``metric``.
    """
    rng = numpy.random.default_rng(seed)
    done = []
    for _ in range(trials):
        params = {name: dist.sample(rng) for name, dist in space.items()}
        outcome = objective(params)
        metrics = dict(outcome) if isinstance(outcome, dict) else {metric: outcome}
        if metric not in metrics:
            raise KeyError(f"random_search: the objective returned {sorted(metrics)}; expected {metric!r}")
        done.append(Trial(params, float(metrics[metric]), metrics))
    sign = -1.0 if maximize else 1.0
    done.sort(key=lambda t: (not math.isfinite(t.score), sign * t.score if math.isfinite(t.score) else 0.0))
    return SearchResults(done, metric)


def coarse_to_fine(objective, space: dict, coarse_trials: int = 20, fine_trials: int = 20,
                   top: int = 3, margin: float = 0.25, seed: int = 0, metric: str = "val_acc",
                   maximize: bool = True) -> tuple[SearchResults, SearchResults]:
    """A coarse search over ``space`` then a fine one around its ``top`` trials."""
    coarse = random_search(objective, space, coarse_trials, seed, metric, maximize)
    fine = random_search(objective, coarse.narrowed(space, top, margin), fine_trials, seed + 1, metric, maximize)
    return coarse, fine
