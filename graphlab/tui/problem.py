"""What the explorer opens: the lecture exercise, another exercise, a trace file or a formula.

A ``Problem`` is the formula with its inputs, rounding and initial gradient (and
the exercise, when there is one); ``solve()`` hands it to the library, which
builds the trace. A trace read from JSON is shown as it is; changing its
inputs or rounding re-solves its recorded formula.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from graphlab.errors import InputError
from graphlab.exercise import DEFAULT, Exercise, bundled_dir, load
from graphlab.loading import is_file
from graphlab.rounding import EXACT, RoundingPolicy
from graphlab.trace import Trace
from graphlab.trace_file import read_trace

MAX_NODES = 100_000
"""Most nodes the explorer opens: it lays out this many in a few seconds (a trace file may hold 200,000)."""


class SourceError(InputError):
    """A source the explorer cannot open: names the source and what was expected."""


@dataclass(frozen=True)
class Problem:
    """A formula at some inputs under a rounding policy, or a recorded trace."""

    title: str
    formula: str | None
    inputs: dict[str, float]
    policy: RoundingPolicy = EXACT
    gradient: float = 1.0
    exercise: Exercise | None = None
    recorded: Trace | None = None  # a trace from a file, shown until inputs or rounding change

    def solve(self) -> Trace:
        """The trace of this problem (raises ``FormulaError`` or ``EvaluationError`` on bad input)."""
        if self.recorded is not None:
            return self.recorded
        if self.formula is None:
            raise SourceError("this trace records no formula, so it cannot be recomputed")
        from graphlab.solve import solve  # lazy: loaded when a problem needs it

        return solve(self.formula, self.inputs, self.policy, gradient=self.gradient)

    def with_inputs(self, inputs: Mapping[str, float]) -> Problem:
        return replace(self, inputs=dict(inputs), recorded=None)

    def with_policy(self, policy: RoundingPolicy) -> Problem:
        return replace(self, policy=policy, recorded=None)

    def with_formula(self, formula: str, inputs: Mapping[str, float]) -> Problem:
        """A new formula typed in the app: no exercise any more."""
        return Problem(title=formula, formula=formula, inputs=dict(inputs), policy=self.policy)


def from_exercise(exercise: Exercise, at: Mapping[str, float] | None = None,
                  policy: RoundingPolicy | None = None) -> Problem:
    return Problem(title=exercise.title, formula=exercise.formula, inputs={**exercise.inputs, **(at or {})},
                   policy=policy or exercise.policy, gradient=exercise.gradient, exercise=exercise)


def from_trace_file(path: Path) -> Problem:
    """A trace file, checked whole (``TraceError`` names the place otherwise)."""
    trace = read_trace(path)
    if len(trace.nodes) > MAX_NODES:
        raise SourceError(f"{path}: {len(trace.nodes):,} nodes; the explorer opens graphs of at most "
                          f"{MAX_NODES:,} nodes, which it lays out in a few seconds")
    inputs = {name: node.value for name, node in trace.inputs.items()}
    return Problem(title=path.name, formula=trace.formula, inputs=inputs, policy=trace.policy,
                   gradient=trace.gradient, recorded=trace)


def open_source(source: str | None, at: Mapping[str, float] | None = None,
                policy: RoundingPolicy | None = None) -> Problem:
    """The problem named by ``source``: None, an exercise id or .toml path, a trace .json, or a formula.

    Only a name ending in ``.json`` or ``.toml`` is read as a file, so a formula
    is never mistaken for a file that happens to be called like it.
    """
    if source is None:
        return from_exercise(load(DEFAULT), at, policy)
    if source.endswith(".json"):
        if not Path(source).is_file():
            raise SourceError(f"{source}: no such trace file")
        return from_trace_file(Path(source))
    if source.endswith(".toml"):
        return from_exercise(load(source), at, policy)
    if is_file(bundled_dir() / f"{source}.toml"):
        return from_exercise(load(bundled_dir() / f"{source}.toml"), at, policy)
    return Problem(title=source, formula=source, inputs=dict(at or {}), policy=policy or EXACT)


def parse_number(text: str) -> float:
    """An input value typed in the app: ``-1``, ``0,5`` (decimal comma), ``−2`` (Unicode minus)."""
    from graphlab.exercise.check import parse_answer  # lazy: loaded when a problem needs it

    value = float(parse_answer(text))
    if not -1e300 < value < 1e300:
        raise ValueError(f"{text.strip()!r} is too large")
    return value


