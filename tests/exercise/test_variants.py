"""Variants: reproducible, within their ranges, and well-defined at every node."""

import math
import re

import pytest

from graphlab.exercise import load, loads
from graphlab.exercise.file import ExerciseError, dumps
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


RANGES = '''
id = "ranges"
[formula]
python = "x * y"
[inputs]
x = 1
y = 1
[variants]
x = {{from = -3, to = 3, step = 0.5, exclude = [0]}}
y = {y}
{extra}
'''


def test_ranges_with_a_step_and_exclusions():
    exercise = loads(RANGES.format(y="[1, 2]", extra=""))
    span = exercise.variants.ranges["x"]
    assert span.count == 12 and [span.value(i) for i in (0, 5, 6, 11)] == [-3.0, -0.5, 0.5, 3.0]
    drawn = {v.exercise.inputs["x"] for v in draw(exercise, 24, seed=3)}
    assert drawn <= {x / 2 for x in range(-6, 7)} - {0.0} and len(drawn) > 6
    assert loads(dumps(exercise)).variants == exercise.variants  # written back as a table


@pytest.mark.parametrize("x, message", [
    ("{from = -3, to = 3, step = 0.7}", "the step 0.7 does not lead from -3 to 3"),
    ("{from = -3, to = 3, exclude = [0.5]}", "exclude: 0.5 is not one of the range's values -3, -2 … 3"),
    ("{from = 0, to = 1, exclude = [0, 1]}", "every value of the range is excluded"),
    ("{from = 0, to = 1, step = -1}", "the step must be above 0"),
    ("{low = 0, high = 1}", "a table takes from, to, step and exclude"),
    ("{from = 0, to = 1, step = 0.0000001}", "at most 6 decimals"),
])
def test_bad_ranges_name_the_field(x, message):
    text = RANGES.format(y="[1, 2]", extra="").replace("{from = -3, to = 3, step = 0.5, exclude = [0]}", x)
    with pytest.raises(ExerciseError, match=re.escape(message)) as caught:
        loads(text, "r.toml")
    assert caught.value.field == "variants.x" and caught.value.line == 9


def test_avoided_concerns_are_redrawn_and_the_rest_warned_about(capsys):
    """cs231n's neuron without its avoid list gives zero gradients and saturated units; with it, none."""
    from dataclasses import replace

    from graphlab.exercise.variants import concerns

    neuron = load("cs231n-sigmoid-neuron")
    assert set(neuron.variants.avoid) >= {"zero_answers", "saturated"}
    for v in draw(neuron, 30, seed=2026):
        assert not {check for check, _ in concerns(v.exercise)} & {"zero_answers", "saturated", "near_ties"}
    bare = replace(neuron, variants=replace(neuron.variants, avoid=()))
    kinds = {check for v in draw(bare, 30, seed=2026) for check, _ in concerns(v.exercise)}
    assert {"zero_answers", "saturated"} <= kinds
    from graphlab.cli.exercise_commands import _warn_about

    _warn_about(draw(bare, 30, seed=2026))
    err = capsys.readouterr().err
    assert re.search(r"warning: \d+ of 30 variants: an asked answer rounds to 0 \(variants [\d, …]+\); add "
                     r"\"zero_answers\" to \[variants\] avoid", err)


def test_a_set_that_would_repeat_is_an_error_when_duplicates_are_avoided(capsys):
    text = RANGES.format(y="[1, 2]", extra='avoid = ["duplicates"]')
    assert len(draw(loads(text), 24, seed=1)) == 24
    with pytest.raises(ExerciseError, match="the ranges hold only 24 fit inputs in this set, so 30 variants would"):
        draw(loads(text), 30, seed=1)
    repeating = loads(RANGES.format(y="[1, 2]", extra=""))
    from graphlab.cli.exercise_commands import _warn_about

    _warn_about(draw(repeating, 30, seed=1))
    assert "warning: 6 of 30 variants: the inputs of an earlier variant repeat" in capsys.readouterr().err


def test_near_ties_are_found():
    from graphlab.exercise.variants import concerns

    text = ('id = "t"\n[formula]\npython = "x * y"\n[inputs]\nx = 0.1249\ny = 1\n[rounding]\ndecimals = 2\n'
            '[variants]\ny = [1, 2]\n')
    assert ("near_ties", "x*y: 0.1249 is close to a rounding tie") in concerns(loads(text))
    assert not [c for c in concerns(loads(text.replace("0.1249", "0.1240"))) if c[0] == "near_ties"]


def test_variants_out_writes_the_whole_set_or_nothing(tmp_path, monkeypatch, capsys):
    import os

    from graphlab.cli import main

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    real = os.replace
    moved = []

    def failing(src, dst):
        moved.append(dst)
        if len(moved) == 3:
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    assert main(["variants", "variant-2", "--count", "5", "--out", str(tmp_path / "out")]) == 2
    monkeypatch.setattr(os, "replace", real)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["notes.txt"]  # nothing half-written
    assert "cannot write there (No space left on device)" in capsys.readouterr().err
    assert main(["variants", "variant-2", "--count", "5", "--out", str(tmp_path / "out")]) == 0
    assert len(list((tmp_path / "out").glob("variant-2-v0*.toml"))) == 5
