"""Every bundled exercise loads, solves, renders; together they cover the ops table."""

import math

import pytest

from graphlab.exercise import DEFAULT, bundled
from graphlab.ops import OPS
from graphlab.render import to_graphviz
from graphlab.render.tikz import to_tikz

EXERCISES = bundled()


def test_at_least_25_and_the_lecture_first():
    assert len(EXERCISES) >= 25
    assert EXERCISES[0].id == DEFAULT


def test_every_op_is_exercised():
    used = {n.op for e in EXERCISES for n in e.solve().nodes if n.op}
    assert set(OPS) - used == set()


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_solves_and_renders(exercise):
    trace = exercise.solve()
    assert all(math.isfinite(n.value) for n in trace.nodes)
    assert set(exercise.wrt) <= set(trace.inputs)
    assert exercise.statement_text("ru") or exercise.statement_text("en")
    assert "{inputs}" not in (exercise.statement_text("en") or "")
    source = to_graphviz(trace).source
    assert source.count("->") >= len(trace.edges())
    assert to_tikz(trace).count("\\draw") == len(trace.edges()) + 1


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_gradients_match_finite_differences(exercise):
    """The exact trace's input gradients against float64 central differences of f."""
    from graphlab.rounding import EXACT

    trace = exercise.solve(policy=EXACT)
    h = 1e-6
    for name in exercise.wrt:
        up = exercise.solve({**exercise.inputs, name: exercise.inputs[name] + h}, EXACT).root.value
        down = exercise.solve({**exercise.inputs, name: exercise.inputs[name] - h}, EXACT).root.value
        assert trace.inputs[name].grad == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-6)


def test_classics_by_hand():
    by_id = {e.id: e for e in EXERCISES}
    cs231n = by_id["cs231n-add-mul"].solve()
    assert (cs231n.value, cs231n.grads()) == (-12, {"x": -4, "y": -4, "z": 3})
    from graphlab.rounding import EXACT

    neuron = by_id["cs231n-sigmoid-neuron"].solve(policy=EXACT)
    assert neuron.grads() == pytest.approx({"w0": -0.2, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.2}, abs=0.005)
    lecture = by_id["variant-2"].solve()
    assert (lecture.value, lecture.grads()) == (20, {"x0": 40, "y0": 20, "x1": -40, "y1": -20})


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_an_exercise_file_round_trips(exercise):
    from dataclasses import replace

    from graphlab.exercise import loads
    from graphlab.exercise.file import dumps

    assert replace(loads(dumps(exercise)), path=exercise.path) == exercise
