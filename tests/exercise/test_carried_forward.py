"""Partial credit that follows backprop: each step judged against the student's own inputs to it.

The worked example is the lecture's exercise (x0 = 1, x1 = −1, y0 = 1, y1 = −2,
every node rounded to 2 decimals) done by hand by a student who slips once,
at x1·y1, writing −2 instead of 2 and then working on correctly with it:

    forward   x0·y0 = 1, x1·y1 = −2 (the slip), sum = −1, −sum = 1, exp(1) = 2.72,
              f = 1 / 2.72 = 0.37
    backward  ∂f/∂exp = −1/2.72² = −0.14, ∂f/∂(−sum) = 2.72 · −0.14 = −0.38,
              ∂f/∂sum = 0.38 = ∂f/∂(x0·y0) = ∂f/∂(x1·y1),
              ∂f/∂x0 = y0 · 0.38 + 1/2.72 = 0.38 + 0.37 = 0.75,
              ∂f/∂x1 = y1 · 0.38 = −0.76, ∂f/∂y0 = x0 · 0.38 = 0.38, ∂f/∂y1 = x1 · 0.38 = −0.38

Against the key (f = 20, ∂x0 = 40 …) every answer is wrong; followed through
the student's own numbers, only the slip is.
"""

from __future__ import annotations

import pytest

import graphlab
from graphlab.exercise import load, loads
from graphlab.exercise.grading import Solution, grade
from graphlab.exercise.steps import every_quantity, replay, resolve
from graphlab.rounding import CONVENTIONS, EXACT, RoundingPolicy

SLIPPED = {"#5": -2, "#6": -1, "#7": 1, "#8": 2.72, "f": 0.37, "df/d#8": -0.14, "df/d#7": -0.38, "df/d#6": 0.38,
           "df/dx0": 0.75, "df/dx1": -0.76, "df/dy0": 0.38, "df/dy1": -0.38}


def marks(result):
    return {m.quantity.key: m for m in result.marks}


def test_the_worked_example_earns_every_step_after_the_slip():
    result = graphlab.check("variant-2", SLIPPED)
    by_key = marks(result)
    assert by_key["#5"].status == "wrong" and by_key["#5"].hint == "the sign is wrong"
    assert all(by_key[k].status == "carried" for k in SLIPPED if k != "#5")
    assert by_key["#8"].hint == "right for your 1.00 (#7)"  # "your exp is right for your 1.00"
    assert by_key["#6"].hint == "right for your -2.00 (#5)"
    assert (result.points, result.max_points, result.carried, result.right) == (5, 5, 5, 0)
    assert result.passed()


def test_only_the_slip_and_the_answers_still_earn_the_answers():
    """The intermediate numbers the student did not write are carried as computed from the ones they did."""
    result = graphlab.check("variant-2", {k: SLIPPED[k] for k in ("#5", "f", "df/dx0", "df/dx1", "df/dy0", "df/dy1")})
    assert [m.status for m in result.marks if m.scored] == ["carried"] * 5
    assert all(m.hint == "right for your -2.00 (#5)" for m in result.marks if m.scored)


def test_a_second_slip_downstream_costs_its_own_step():
    answers = dict(SLIPPED, **{"df/d#7": -0.5, "df/d#6": 0.5})  # 2.72 · −0.14 is −0.38, not −0.5
    by_key = marks(graphlab.check("variant-2", answers))
    assert by_key["df/d#7"].status == "wrong"
    assert by_key["df/d#6"].status == "carried"  # right for the student's own −0.5
    assert by_key["df/dx1"].status == "wrong"  # y1 · 0.5 = −1.00, and the student kept −0.76
    assert by_key["df/d#6"].hint == "right for your -0.50 (∂f/∂#7)"


def test_carried_credit_is_the_share_the_exercise_gives():
    text = (load("variant-2").path.read_text(encoding="utf-8")
            + '\n[grading]\ncarried = 0.5\nweights = {f = 2, gradients = 1}\n')
    exercise = loads(text)
    result = graphlab.check(exercise, SLIPPED)
    assert result.max_points == 6  # f is worth 2
    assert result.points == pytest.approx(3.0)


def test_without_the_students_numbers_the_walk_is_the_trace():
    """Replayed with no answers, every quantity is the engine's, for every bundled exercise and convention."""
    from graphlab.exercise import bundled

    for exercise in bundled():
        for policy in [EXACT] + [RoundingPolicy(2, c, t) for c in CONVENTIONS for t in ("away", "even")]:
            trace = exercise.solve(policy=policy)
            walk = replay(trace, {})
            for quantity in every_quantity(trace):
                assert walk.own[quantity.key] == pytest.approx(quantity.value, rel=1e-12, abs=1e-12), \
                    (exercise.id, policy, quantity.key)


@pytest.mark.parametrize("written, canonical", [
    ("∂f/∂x0", "df/dx0"), ("df/d#0", "df/dx0"), ("#9", "f"), ("d#9/d#8", "d#9/db"), ("d#9/dx0", "d#9/da"),
    ("∂f/∂#9 · ∂#9/∂b", "df/d#9*d#9/db"), ("df/d#9", None), ("#0", None), ("df/d#42", None), ("d#4/dx1", None),
])
def test_quantity_names_resolve_against_the_graph(written, canonical):
    assert resolve(load("variant-2").solve(), written) == canonical


def test_a_missing_consumers_contribution_is_named():
    """∂f/∂x0 sums what x0·y0 (20) and the division (20) send back; 20 alone leaves one out."""
    by_key = marks(graphlab.check("variant-2", {"f": 20, "df/dx0": 20}))
    assert by_key["df/dx0"].status == "wrong"
    assert by_key["df/dx0"].hint.startswith("the contribution from #")
    assert "is missing: a node's gradient adds up every consumer's" in by_key["df/dx0"].hint


def test_hints_speak_russian_in_the_feedback():
    result = graphlab.check("variant-2", {"f": 20, "df/dx0": 40, "df/dx1": 40})
    hint = marks(result)["df/dx1"].hint
    assert hint.say("ru") == "неверный знак" and hint.say("en") == "the sign is wrong"
    from graphlab.exercise.feedback import to_markdown

    text = to_markdown(result, ["ru"])
    assert "неверно: неверный знак" in text and "**Баллы: 2 / 5 (40 %)**" in text


def test_tolerances_per_quantity():
    text = (load("variant-2").path.read_text(encoding="utf-8")
            + '\n[grading]\ntolerance = "digit"\ntolerances = {"df/dx0" = {absolute = 0.5}, gradients = "rounded"}\n')
    exercise = loads(text)
    by_key = marks(graphlab.check(exercise, {"f": 20.01, "df/dx0": 40.4, "df/dx1": -40.01}))
    assert by_key["f"].status == "right"  # ±1 in the last digit
    assert by_key["df/dx0"].status == "right"  # ±0.5
    assert by_key["df/dx1"].status == "wrong"  # gradients: rounds to the key


def test_steps_are_asked_when_the_exercise_says_so():
    text = load("w04-div").path.read_text(encoding="utf-8").replace("[report]\n", "[report]\nsteps = true\n")
    exercise = loads(text)
    asked = list(Solution(exercise).asked)
    assert {"d#2/da", "d#2/db", "df/d#2*d#2/da", "df/d#2*d#2/db"} <= set(asked)
    trace = exercise.solve()
    right = {q.key: trace.policy.format(q.value) for q in every_quantity(trace)}
    result = grade(exercise, graphlab.exercise.autograde.Answers(exercise.path, "s"))
    assert result.asked == len(asked)
    assert graphlab.check(exercise, right).passed()
