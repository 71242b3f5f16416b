"""What each box shows: the revealed value and gradient, or the student's answers.

A face is text plus a state the graph view turns into a theme colour:
``shown`` (a number from the trace), ``pending`` (not reached yet),
``right`` / ``wrong`` (a student's answer: ✓, ✗, or ≈ for a number right only
for the student's own earlier numbers) and ``none`` (nothing flows here, as
the gradient of a constant). A NaN or infinite number (only a trace file
can hold one) is marked ``⚠`` and shown in the colour of a wrong answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from graphlab.trace import Trace
from graphlab.tui.quiz import Quiz
from graphlab.tui.stepper import Stepper

PENDING = "·"
NOT_FINITE = "⚠"


@dataclass(frozen=True)
class Face:
    """The two numbers of a box, each with its state."""

    value: str
    value_state: str
    grad: str
    grad_state: str


def stepper_face(trace: Trace, stepper: Stepper, node_id: int) -> Face:
    """A box while stepping: numbers appear as the passes reach them."""
    node = trace.nodes[node_id]
    value, value_state = shown(trace, node.value) if stepper.value_known(node_id) else (PENDING, "pending")
    if node.grad is None:
        grad, grad_state = "", "none"
    elif stepper.grad_known(node_id):
        grad, grad_state = shown(trace, node.grad)
    else:
        grad, grad_state = PENDING, "pending"
    return Face(value, value_state, grad, grad_state)


def quiz_face(trace: Trace, quiz: Quiz, node_id: int) -> Face:
    """A box in exercise mode: given numbers, the student's answers, or ``?`` where one is asked."""
    node = trace.nodes[node_id]
    parts = []
    for field, number in (("value", node.value), ("grad", node.grad)):
        answer = quiz.answers.get((node_id, field))
        if answer is not None:
            mark = "✓" if answer.right else "≈" if answer.verdict == "carried" else "✗"
            parts += [f"{answer.number}{mark}", "right" if answer.right else "wrong"]
        elif quiz.is_asked(node_id, field):
            parts += ["?", "pending"]
        elif number is None:
            parts += ["", "none"]
        else:
            parts += shown(trace, number)
    return Face(*parts)


def shown(trace: Trace, number: float) -> tuple[str, str]:
    """A number of the trace as a box shows it, with its state: ``⚠nan`` in the wrong-answer colour if not finite."""
    if not math.isfinite(number):
        return f"{NOT_FINITE}{number}", "wrong"
    return trace.policy.format(number), "shown"


def not_finite(trace: Trace) -> list[int]:
    """The nodes whose value, gradient, local derivative or contribution is NaN or infinite."""
    return [node.id for node in trace.nodes
            if any(x is not None and not math.isfinite(x)
                   for x in (node.value, node.grad, *node.local, *node.contributions))]
