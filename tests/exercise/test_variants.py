"""Variants: reproducible, within their ranges, and well-defined at every node."""

import math

import pytest

from graphlab.exercise import load, loads
from graphlab.exercise.file import ExerciseError
from graphlab.exercise.variants import draw, variant
from graphlab.rounding import EXACT

KINKED = {"relu", "leaky_relu", "elu", "selu", "abs"}


def _defined_everywhere(exercise):
    for policy in (exercise.policy, EXACT):
        trace = exercise.solve(policy=policy)
        for node in trace.nodes:
            assert math.isfinite(node.value)
            args = [trace.nodes[i].value for i in node.inputs]
            if node.op in KINKED:
                assert args[0] != 0
            if node.op in ("max", "min"):
                assert args[0] != args[1]
            if node.op == "div":
                assert abs(args[1]) >= 0.01
            if node.op in ("log", "sqrt"):
                assert args[0] > 0


@pytest.mark.parametrize("name", ["variant-2", "two-layer-relu-net", "w12-max-min", "w06-log", "relu-neuron"])
def test_every_variant_is_well_defined(name):
    exercise = load(name)
    variants = draw(exercise, 30, seed=2026)
    assert [v.title for v in variants][:2] == ["Вариант 1", "Вариант 2"]
    for v in variants:
        for input_name, span in exercise.variants.ranges.items():
            value = v.exercise.inputs[input_name]
            assert span.low <= value <= span.high
            assert value * 10 ** span.decimals == pytest.approx(round(value * 10 ** span.decimals))
        _defined_everywhere(v.exercise)
    assert len({tuple(v.exercise.inputs.values()) for v in variants}) == 30


def test_reproducible_and_independent_of_count():
    exercise = load("variant-2")
    ten = draw(exercise, 10, seed=5)
    assert [v.exercise.inputs for v in ten] == [v.exercise.inputs for v in draw(exercise, 10, seed=5)]
    assert variant(exercise, 7, seed=5).exercise.inputs == ten[6].exercise.inputs
    assert [v.exercise.inputs for v in draw(exercise, 10, seed=6)] != [v.exercise.inputs for v in ten]


def test_avoids_rounding_ties():
    """0.3·x rounded to whole numbers ties at x = 5, 15, 25 (1.5, 4.5, 7.5): skipped only when asked."""
    text = '''
id = "ties"
[formula]
python = "x * 0.3 + y"
[inputs]
x = 2
y = 1
[rounding]
decimals = 0
[variants]
x = [1, 30]
y = [1, 3]
avoid_ties = {avoid}
'''
    def drawn(avoid: str) -> set[float]:
        return {v.exercise.inputs["x"] for v in draw(loads(text.format(avoid=avoid)), 40, seed=1)}

    assert drawn("false") & {5, 15, 25}
    assert not drawn("true") & {5, 15, 25}


def test_no_variants_table_is_a_clear_error():
    exercise = loads('id = "plain"\n[formula]\npython = "x * y"\n[inputs]\nx = 1\ny = 2\n')
    with pytest.raises(ExerciseError, match="no \\[variants\\] table"):
        draw(exercise, 3, seed=0)


def test_impossible_ranges_are_refused():
    text = 'id = "dead"\n[formula]\npython = "log(x)"\n[inputs]\nx = 1\n[variants]\nx = [-5, 0]\n'
    with pytest.raises(ExerciseError, match="no inputs in these ranges"):
        draw(loads(text), 1, seed=0)
