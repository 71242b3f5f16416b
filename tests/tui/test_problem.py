"""What `graphlab tui SOURCE` opens."""

from __future__ import annotations

import pytest

from graphlab.formula import FormulaError
from graphlab.rounding import RoundingPolicy
from graphlab.trace_file import TraceError
from graphlab.tui.problem import SourceError, open_source, parse_number


def test_no_source_is_the_lecture_exercise():
    problem = open_source(None)
    assert problem.exercise.id == "variant-2"
    assert problem.policy.decimals == 2
    assert problem.solve().grads() == {"x0": 40.0, "y0": 20.0, "x1": -40.0, "y1": -20.0}


def test_an_exercise_id_with_other_inputs_and_policy():
    problem = open_source("variant-2", {"x0": 2.0}, RoundingPolicy(3))
    assert problem.inputs["x0"] == 2.0 and problem.inputs["y1"] == -2.0
    assert problem.policy.decimals == 3


def test_a_formula_and_a_trace_file(tmp_path):
    problem = open_source("a*b + a", {"a": 2.0, "b": 5.0})
    trace = problem.solve()
    assert trace.grads() == {"a": 6.0, "b": 2.0}
    path = tmp_path / "t.json"
    path.write_text(trace.to_json())
    recorded = open_source(str(path))
    assert recorded.solve() is recorded.recorded
    assert recorded.with_inputs({"a": 1.0, "b": 1.0}).solve().grads() == {"a": 2.0, "b": 1.0}


def test_bad_sources_are_named():
    with pytest.raises(SourceError, match=r"missing\.json: no such trace file"):
        open_source("missing.json")
    with pytest.raises(FormulaError):
        open_source("a +* b", {"a": 1.0, "b": 1.0}).solve()


def test_bad_trace_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"nodes": 3, "output": 0, "rounding": {}}')
    with pytest.raises(TraceError, match=r"bad\.json: nodes: expected a non-empty list of nodes"):
        open_source(str(path))


def test_typed_numbers():
    assert parse_number("0,5") == 0.5 and parse_number("−2") == -2.0
    with pytest.raises(ValueError):
        parse_number("1e400")
