"""Exercise mode checks answers with the exercise's rounding, commas accepted."""

from __future__ import annotations

import pytest

from graphlab.exercise.check import AnswerError
from graphlab.tui.quiz import Quiz


def test_what_is_asked(lecture):
    trace = lecture.solve()
    quiz = Quiz(trace)
    ops = [n.id for n in trace.nodes if n.kind == "op"]
    assert all(quiz.is_asked(i, "value") for i in ops)
    assert not quiz.is_asked(trace.inputs["x0"].id, "value")  # inputs are given
    assert quiz.is_asked(trace.inputs["x0"].id, "grad")
    assert not quiz.is_asked(trace.output, "grad")  # the initial gradient is given
    assert quiz.score == (0, len(ops) + len(trace.nodes) - 1)


def test_right_and_wrong_answers(lecture):
    trace = lecture.solve()
    quiz = Quiz(trace)
    x0 = trace.inputs["x0"].id
    assert quiz.answer(x0, "grad", "40,00").right  # ∂f/∂x0 = 40.00 by hand
    assert quiz.answer(trace.output, "value", " 20 ").right
    assert not quiz.answer(trace.inputs["x1"].id, "grad", "40").right  # it is −40
    assert quiz.answer(trace.inputs["x1"].id, "grad", "−40,00").right  # Unicode minus, comma
    assert quiz.score[0] == 3
    assert quiz.grad_known(x0) and not quiz.grad_known(trace.inputs["y0"].id)
    with pytest.raises(AnswerError):
        quiz.answer(x0, "grad", "forty")
    with pytest.raises(KeyError):
        quiz.answer(trace.output, "grad", "1")


def test_next_unanswered_follows_the_passes(lecture):
    trace = lecture.solve()
    quiz = Quiz(trace)
    first = quiz.next_unanswered()
    assert first == (next(n.id for n in trace.nodes if n.kind == "op"), "value")
    quiz.answer(*first, "999")
    assert quiz.next_unanswered() == first  # a wrong answer is still to do


def test_a_number_of_another_rounding_convention_is_named(lecture):
    """The exact f = 20.09 is what rounding only the final answers gives (exp(−3) kept exact)."""
    from dataclasses import replace

    from graphlab.exercise.grading import Solution

    exercise = replace(lecture.exercise.with_inputs(lecture.inputs), policy=lecture.policy)
    trace = lecture.solve()
    quiz = Quiz(trace, Solution(exercise, trace))
    answer = quiz.answer(trace.output, "value", "20.09")
    assert not answer.right and answer.verdict == "wrong"
    assert answer.hint == "matches if only the final answers are rounded"
