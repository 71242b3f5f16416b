"""Grading: a student's answers against the trace, quantity by quantity.

Each asked quantity (see ``graphlab.exercise.answers`` for the names) is
right, wrong or missing by ``check.is_right``: within half a unit of the
exercise's rounding digit. Answers to nodes the exercise does not ask for are
checked too and shown, but not scored.

A wrong answer is also tried against the same exercise solved under every
other reading of the rounding rule (each convention of
``graphlab.rounding.CONVENTIONS``, ties away and to even). If it matches one,
the grade says so — "matches if local derivatives are rounded too" — so the
student learns that the arithmetic was right and the rule was read otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphlab.exercise.answers import Answers
from graphlab.exercise.check import is_right
from graphlab.exercise.file import Exercise
from graphlab.rounding import CONVENTIONS, Convention, RoundingPolicy, Ties
from graphlab.trace import NodeKind, Trace

READINGS = {
    Convention.EVERY_NODE: "every node is rounded as it is computed",
    Convention.LOCAL_TOO: "local derivatives are rounded too",
    Convention.FORWARD_ONLY: "only forward values are rounded (gradients kept exact)",
    Convention.FINAL_ONLY: "only the final answers are rounded",
}
"""Each rounding convention as a student would recognise it."""

RULES = {
    Convention.EVERY_NODE: "rounds every node as it is computed",
    Convention.LOCAL_TOO: "rounds every node and the local derivatives too",
    Convention.FORWARD_ONLY: "rounds only the forward values",
    Convention.FINAL_ONLY: "rounds only the final answers",
}
"""Each convention as the rule an exercise states."""


@dataclass(frozen=True)
class Quantity:
    """Something an exercise asks for: its key, how it is shown, and its value in the trace."""

    key: str
    label: str
    value: float


@dataclass(frozen=True)
class Mark:
    """One quantity's verdict: "right", "wrong" or "missing"; ``hint`` names another reading that fits."""

    quantity: Quantity
    status: str
    answer: str | None = None
    scored: bool = True
    hint: str | None = None


@dataclass
class Grade:
    """A student's marks on one exercise (or variant), with the score and an overall hint."""

    exercise: Exercise
    student: str
    marks: list[Mark] = field(default_factory=list)
    variant: int | None = None
    hint: str | None = None

    @property
    def asked(self) -> int:
        return sum(m.scored for m in self.marks)

    @property
    def right(self) -> int:
        return sum(m.scored and m.status == "right" for m in self.marks)

    @property
    def score(self) -> float:
        return self.right / self.asked if self.asked else 0.0

    def to_text(self, show_expected: bool = False) -> str:
        """The grade as a student reads it; expected values only when the grader asks."""
        policy = self.exercise.policy
        title = self.exercise.title + (f", Вариант {self.variant}" if self.variant else "")
        lines = [f"{self.student}: {title} · {policy.describe()}"]
        width = max((len(m.quantity.label) for m in self.marks), default=1)
        for mark in self.marks:
            sign = {"right": "✓", "wrong": "✗", "missing": "–"}[mark.status]
            given = mark.answer if mark.answer is not None else "no answer"
            line = f"  {sign} {mark.quantity.label:<{width}}  {given:>10}  {mark.status}"
            if not mark.scored:
                line += " (not asked, not scored)"
            if show_expected and mark.status != "right":
                line += f"; expected {policy.format(mark.quantity.value)}"
            if mark.hint:
                line += f"; {mark.hint}"
            lines.append(line)
        lines.append(f"score: {self.right}/{self.asked} ({100 * self.score:.0f}%)")
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines) + "\n"


def quantities(exercise: Exercise, trace: Trace, every_node: bool | None = None) -> list[Quantity]:
    """What ``exercise`` asks for, valued in ``trace``: f, the chosen gradients, and nodes if asked."""
    found = [Quantity("f", "f", trace.root.value)]
    grads = {name: node.grad or 0.0 for name, node in trace.inputs.items()}
    found += [Quantity(f"df/d{name}", f"∂f/∂{name}", grads[name]) for name in exercise.wrt]
    if exercise.report_nodes if every_node is None else every_node:
        for node in trace.nodes:
            if node.kind == NodeKind.OP and node.id != trace.output:
                found.append(Quantity(f"#{node.id}", f"#{node.id} {node.label}".strip(), node.value))
                found.append(Quantity(f"df/d#{node.id}", f"∂f/∂#{node.id}", node.grad or 0.0))
    return found


def grade(exercise: Exercise, answers: Answers, variant: int | None = None) -> Grade:
    """Grade ``answers`` against ``exercise`` (already at the variant's inputs, if any)."""
    trace = exercise.solve()
    asked = {q.key for q in quantities(exercise, trace)}
    everything = quantities(exercise, trace, every_node=True)
    known = {q.key for q in everything}
    unknown = [key for key in answers.values if key not in known]
    if unknown:
        from graphlab.exercise.answers import AnswerFileError  # lazy: answers.py imports exercise modules

        first = answers.values[unknown[0]]
        raise AnswerFileError(answers.path, first.line,
                              f"{unknown[0]} is not a quantity of this exercise; it has "
                              f"{', '.join(q.key for q in everything)}")
    others = _other_readings(exercise)
    result = Grade(exercise, answers.student, variant=variant or answers.variant)
    fits = dict.fromkeys(others, True)
    for quantity in everything:
        answer = answers.values.get(quantity.key)
        scored = quantity.key in asked
        if answer is None:
            if scored:
                result.marks.append(Mark(quantity, "missing"))
            continue
        right = is_right(quantity.value, answer.number, exercise.policy)
        hint = None
        for reading, values in others.items():
            matches = is_right(values[quantity.key], answer.number, exercise.policy)
            fits[reading] &= matches
            if not right and matches and hint is None:
                hint = f"matches if {reading}"
        result.marks.append(Mark(quantity, "right" if right else "wrong", answer.text, scored, hint))
    wrong = [m for m in result.marks if m.status == "wrong"]
    explaining = [reading for reading, fit in fits.items() if fit]
    if wrong and explaining:
        result.hint = f"All your answers match if {explaining[0]}; this exercise {_rule(exercise.policy)}."
    return result


def _other_readings(exercise: Exercise) -> dict[str, dict[str, float]]:
    """Each other reading of the rounding rule, described, with every quantity's value under it."""
    policy = exercise.policy
    if policy.decimals is None:
        return {}
    readings = {}
    for convention in CONVENTIONS:
        for ties in Ties:
            other = RoundingPolicy(policy.decimals, convention, ties)
            if other == policy:
                continue
            try:
                trace = exercise.solve(policy=other)
            except (ArithmeticError, ValueError):
                continue
            readings[_difference(policy, other)] = {q.key: q.value for q in quantities(exercise, trace, True)}
    return readings


def _difference(policy: RoundingPolicy, other: RoundingPolicy) -> str:
    parts = []
    if other.convention != policy.convention:
        parts.append(READINGS[other.convention])
    if other.ties != policy.ties:
        parts.append("ties are rounded to even" if other.ties == Ties.EVEN else "ties are rounded away from zero")
    return " and ".join(parts)


def _rule(policy: RoundingPolicy) -> str:
    ties = "to even" if policy.ties == Ties.EVEN else "away from zero"
    return f"{RULES[policy.convention]} (ties {ties})"


__all__ = ["READINGS", "Grade", "Mark", "Quantity", "grade", "quantities"]
