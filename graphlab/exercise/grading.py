"""Grading: a student's answers against the trace, quantity by quantity, with credit that follows backprop.

Each asked quantity (``graphlab.exercise.steps`` names them) is

* **right** — by ``check.is_right`` under the exercise's tolerance for it;
* **carried** — wrong against the key, but right for the student's own inputs
  to that step (error carried forward: ``steps.replay``): "right for your
  -3.10 (#6)". It earns ``[grading] carried`` of its points (all by default),
  so one early slip costs that step, not everything downstream;
* **wrong**, **missing**, or **unreadable** (a cell that is not a number: the
  reason is kept).

Each quantity is worth its ``[grading]`` weight (1 by default). Answers to
quantities the exercise does not ask for are checked too and shown, and they
carry forward, but they are not scored.

A wrong answer is explained where it can be, the same way here and in the
terminal explorer (``explain``): a sign, a missing consumer's contribution to
a sum, or another reading of the rounding rule — the same exercise solved
under every other convention of ``graphlab.rounding.CONVENTIONS`` and ties
rule ("matches if local derivatives are rounded too"), so the student learns
that the arithmetic was right and the rule was read otherwise.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from graphlab.exercise.answers import Answer, Answers
from graphlab.exercise.check import Tolerance, is_right
from graphlab.exercise.file import Exercise, GradingRules
from graphlab.exercise.safe import terminal
from graphlab.exercise.steps import Quantity, Replay, every_quantity, replay, resolve
from graphlab.rounding import CONVENTIONS, Convention, RoundingPolicy, Ties
from graphlab.trace import NodeKind, Trace

READINGS = {
    Convention.EVERY_NODE: "every node is rounded as it is computed",
    Convention.LOCAL_TOO: "local derivatives are rounded too",
    Convention.FORWARD_ONLY: "only forward values are rounded (gradients kept exact)",
    Convention.FINAL_ONLY: "only the final answers are rounded",
}
"""Each rounding convention as a student would recognise it."""
READINGS_RU = {
    Convention.EVERY_NODE: "каждый узел округляется по мере вычисления",
    Convention.LOCAL_TOO: "локальные производные тоже округляются",
    Convention.FORWARD_ONLY: "округляется только прямой проход (градиенты точные)",
    Convention.FINAL_ONLY: "округляются только итоговые ответы",
}

RULES = {
    Convention.EVERY_NODE: "rounds every node as it is computed",
    Convention.LOCAL_TOO: "rounds every node and the local derivatives too",
    Convention.FORWARD_ONLY: "rounds only the forward values",
    Convention.FINAL_ONLY: "rounds only the final answers",
}
"""Each convention as the rule an exercise states."""
RULES_RU = {
    Convention.EVERY_NODE: "каждый узел округляется по мере вычисления",
    Convention.LOCAL_TOO: "округляются каждый узел и локальные производные",
    Convention.FORWARD_ONLY: "округляется только прямой проход",
    Convention.FINAL_ONLY: "округляются только итоговые ответы",
}

class Hint(str):
    """An explanation for a student: the English text, with its Russian beside it (``say``)."""

    ru: str

    def __new__(cls, en: str, ru: str | None = None) -> Hint:
        hint = super().__new__(cls, en)
        hint.ru = ru or en
        return hint

    def say(self, language: str) -> str:
        return self.ru if language == "ru" else str(self)


SIGNS = {"right": "✓", "carried": "✓", "wrong": "✗", "missing": "–", "unreadable": "?"}
MAX_CONSUMERS = 8
"""Most consumers of a node whose subsets are tried when a sum is wrong (2⁸ sums)."""


@dataclass(frozen=True)
class Mark:
    """One quantity's verdict — right, carried, wrong, missing or unreadable — and what it earned."""

    quantity: Quantity
    status: str
    answer: str | None = None
    scored: bool = True
    hint: Hint | str | None = None
    points: float = 0.0
    weight: float = 1.0
    line: int | None = None


@dataclass
class Grade:
    """A student's marks on one exercise (or variant): the points, the score, and an overall hint."""

    exercise: Exercise
    student: str
    marks: list[Mark] = field(default_factory=list)
    variant: int | None = None
    hint: Hint | None = None
    notes: list[str] = field(default_factory=list)
    """How the file was read, where it was unusual (``read as cp1251``)."""
    ungraded: list[str] = field(default_factory=list)
    """Lines of the file that were not graded (not a quantity, not a number), as ``line 4: …``."""

    @property
    def asked(self) -> int:
        return sum(m.scored for m in self.marks)

    @property
    def right(self) -> int:
        return sum(m.scored and m.status == "right" for m in self.marks)

    @property
    def carried(self) -> int:
        return sum(m.scored and m.status == "carried" for m in self.marks)

    @property
    def points(self) -> float:
        return sum(m.points for m in self.marks if m.scored)

    @property
    def max_points(self) -> float:
        return sum(m.weight for m in self.marks if m.scored)

    @property
    def score(self) -> float:
        """Points over the points possible, 0 … 1."""
        return self.points / self.max_points if self.max_points else 0.0

    def passed(self, threshold: float = 1.0) -> bool:
        """Whether the score reaches ``threshold`` (every point by default)."""
        return self.score >= threshold - 1e-12

    def keys(self, *statuses: str) -> list[str]:
        """The scored quantities with one of ``statuses``."""
        return [m.quantity.key for m in self.marks if m.scored and m.status in statuses]

    def to_text(self, show_expected: bool = False) -> str:
        """The grade as a student reads it in a terminal; expected values only when the grader asks."""
        policy = self.exercise.policy
        title = self.exercise.title + (f", Вариант {self.variant}" if self.variant else "")
        lines = [terminal(f"{self.student}: {title} · {policy.describe()}")]
        width = max((len(m.quantity.label) for m in self.marks), default=1)
        for mark in self.marks:
            given = terminal(mark.answer) if mark.answer is not None else "no answer"
            line = f"  {SIGNS[mark.status]} {mark.quantity.label:<{width}}  {given:>10}  {mark.status}"
            if not mark.scored:
                line += " (not asked, not scored)"
            elif mark.weight != 1:
                line += f" ({mark.points:g}/{mark.weight:g} points)"
            if show_expected and mark.status not in ("right",):
                line += f"; expected {policy.format(mark.quantity.value)}"
            if mark.hint:
                line += f"; {terminal(mark.hint)}"
            lines.append(line)
        lines += [f"  ! {terminal(note)}" for note in self.ungraded + self.notes]
        lines.append(f"score: {self.points:g}/{self.max_points:g} ({100 * self.score:.0f}%)")
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines) + "\n"

    def _repr_markdown_(self) -> str:
        from graphlab.exercise.feedback import to_markdown  # lazy: Markdown feedback, for a notebook only

        return to_markdown(self, show_expected=False)


class Solution:
    """What grading needs of one exercise at one set of inputs, computed once for a whole class.

    ``trace`` is the exercise solved (by default solved here); a trace with no
    exercise behind it (a recorded trace file) is graded under its own policy,
    without the other readings of the rounding rule, which need the formula.
    """

    def __init__(self, exercise: Exercise | None, trace: Trace | None = None) -> None:
        self.exercise = exercise
        self.trace: Trace = trace if trace is not None else exercise.solve()
        self.policy = self.trace.policy
        self.rules = exercise.grading if exercise is not None else GradingRules()
        self.everything: dict[str, Quantity] = {q.key: q for q in every_quantity(self.trace)}
        self.asked: dict[str, Quantity] = (
            {q.key: q for q in quantities(exercise, self.trace)} if exercise is not None else {})

    @cached_property
    def readings(self) -> dict[str, dict[str, float]]:
        """Each other reading of the rounding rule, described, with every quantity's value under it."""
        policy = self.policy
        if policy.decimals is None or self.exercise is None:
            return {}
        found = {}
        for convention in CONVENTIONS:
            for ties in Ties:
                other = RoundingPolicy(policy.decimals, convention, ties)
                if other == policy:
                    continue
                try:
                    trace = self.exercise.solve(policy=other)
                except (ArithmeticError, ValueError):
                    continue
                found[_difference(policy, other)] = {q.key: q.value for q in every_quantity(trace)}
        return found

    def tolerance(self, quantity: Quantity) -> Tolerance:
        return self.rules.tolerance_for(quantity.key, quantity.group)

    def is_right(self, quantity: Quantity, expected: float, number: Decimal) -> bool:
        return is_right(expected, number, self.policy, self.tolerance(quantity))

    def resolved(self, answers: Answers) -> tuple[dict[str, Answer], list[str]]:
        """The answers by this graph's keys, and a note for each one that names no quantity of it."""
        found: dict[str, Answer] = {}
        notes = []
        for written, answer in answers.values.items():
            key = resolve(self.trace, written)
            if key is None:
                notes.append(f"line {answer.line}: {written} is not a quantity of this exercise; it has "
                             f"{', '.join(list(self.asked)[:8])}{' …' if len(self.asked) > 8 else ''}")
            elif key in found:
                first = found[key]
                found[key] = Answer(first.text, None, answer.line,
                                    f"answered twice (lines {first.line} and {answer.line}): not graded")
            else:
                found[key] = answer
        return found, notes

    def count_right(self, answers: Answers) -> int:
        """How many asked quantities ``answers`` gets right against this key alone (no carried credit)."""
        found, _ = self.resolved(answers)
        return sum(1 for key, quantity in self.asked.items()
                   if key in found and found[key].readable and self.is_right(quantity, quantity.value, found[key].number))


def quantities(exercise: Exercise, trace: Trace, every_node: bool | None = None) -> list[Quantity]:
    """What ``exercise`` asks for, valued in ``trace``: f, the chosen gradients, and nodes or steps if asked.

    ``every_node=True`` asks every node's value and gradient whatever the exercise says.
    """
    everything = every_quantity(trace)
    by_key = {q.key: q for q in everything}
    found = [by_key["f"]] + [by_key[f"df/d{name}"] for name in exercise.wrt]
    nodes = exercise.report_nodes if every_node is None else every_node
    steps = exercise.report_steps and every_node is None
    if nodes or steps:
        kinds = {"value", "grad"} | ({"local", "product"} if steps else set())
        inputs = {q.key for q in found}
        found += [q for q in everything if q.kind in kinds and q.key not in inputs
                  and not (q.kind == "grad" and trace.nodes[q.node].kind == NodeKind.INPUT)]
    return found


def grade(exercise: Exercise, answers: Answers, variant: int | None = None,
          solution: Solution | None = None) -> Grade:
    """Grade ``answers`` against ``exercise`` (already at the variant's inputs, if any)."""
    solution = solution or Solution(exercise)
    found, notes = solution.resolved(answers)
    rules = exercise.grading
    walk = replay(solution.trace, {k: float(a.number) for k, a in found.items() if a.readable})
    result = Grade(exercise, answers.student, variant=variant or answers.variant, notes=list(answers.notes),
                   ungraded=answers.problems + notes)
    fits = dict.fromkeys(solution.readings, True)
    ordered = [*solution.asked.values(), *(q for k, q in solution.everything.items() if k not in solution.asked)]
    for quantity in ordered:
        answer = found.get(quantity.key)
        scored = quantity.key in solution.asked
        weight = rules.weight(quantity.key, quantity.group) if scored else 0.0
        if answer is None:
            if scored:
                result.marks.append(Mark(quantity, "missing", scored=True, weight=weight))
            continue
        if not answer.readable:
            result.marks.append(Mark(quantity, "unreadable", answer.text, scored, answer.problem, 0.0, weight,
                                     answer.line))
            continue
        status, hint = judge(solution, quantity, answer.number, walk)
        points = weight if status == "right" else weight * rules.carried if status == "carried" else 0.0
        for reading, values in solution.readings.items():
            fits[reading] &= solution.is_right(quantity, values[quantity.key], answer.number)
        result.marks.append(Mark(quantity, status, answer.text, scored, hint, points, weight, answer.line))
    wrong = [m for m in result.marks if m.status == "wrong"]
    explaining = [reading for reading, fit in fits.items() if fit]
    if wrong and explaining:
        reading = explaining[0]
        result.hint = Hint(f"All your answers match if {reading}; this exercise {_rule(exercise.policy)}.",
                           f"Все ваши ответы совпадают, если {reading.ru}; в этом задании "
                           f"{_rule(exercise.policy, 'ru')}.")
    return result


def judge(solution: Solution, quantity: Quantity, number: Decimal, walk: Replay) -> tuple[str, Hint | None]:
    """One readable answer's verdict — "right", "carried" or "wrong" — and its explanation.

    The grader and the terminal explorer's exercise mode both call this, so a
    student hears the same words in both.
    """
    if solution.is_right(quantity, quantity.value, number):
        return "right", None
    own = walk.own.get(quantity.key)
    if own is not None and not solution.is_right(quantity, quantity.value, Decimal(repr(own))) \
            and solution.is_right(quantity, own, number):
        slips = _slips(solution, quantity, walk)
        return "carried", Hint(f"right for your {slips}", f"верно для ваших чисел: {slips}")
    return "wrong", explain(solution, quantity, number, walk)


def _slips(solution: Solution, quantity: Quantity, walk: Replay) -> str:
    """The student's own numbers this step rests on that differ from the key: ``0.04 (#8)``.

    The walk goes back through the numbers the student did not write (they were
    carried as computed) to the ones the student wrote.
    """
    fmt = solution.policy.format
    slips, seen = [], set()
    stack = list(walk.sources.get(quantity.key, ()))
    while stack:
        key = stack.pop()
        source = solution.everything.get(key)
        if key in seen or source is None:
            continue
        seen.add(key)
        mine = walk.carried.get(key)
        if mine is None or fmt(mine) == fmt(source.value):
            continue
        if key in walk.given:
            slips.append(f"{fmt(mine)} ({short_name(key)})")
        else:
            stack.extend(walk.sources.get(key, ()))
    return ", ".join(sorted(slips)) or "…"


def short_name(key: str) -> str:
    """A quantity's key as a student reads it: ``df/d#7`` → ``∂f/∂#7``, ``d#9/db`` → ``∂#9/∂b``."""
    return re.sub(r"(^|/|\*)d(?=[f#]|[A-Za-z_])", lambda m: m.group(1) + "∂", key) if key != "f" else key


def explain(solution: Solution, quantity: Quantity, number: Decimal, walk: Replay | None = None) -> Hint | None:
    """Why a wrong answer is wrong, where a common slip explains it: a sign, a missing contribution, a convention."""
    expected = [quantity.value] + ([walk.own[quantity.key]] if walk and quantity.key in walk.own else [])
    if any(x != 0 and solution.is_right(quantity, -x, number) for x in expected):
        return Hint("the sign is wrong", "неверный знак")
    missing = _missing_contribution(solution, quantity, number, walk)
    if missing:
        return missing
    for reading, values in solution.readings.items():
        if solution.is_right(quantity, values[quantity.key], number):
            return Hint(f"matches if {reading}", f"совпадает, если {reading.ru}")
    return None


def _missing_contribution(solution: Solution, quantity: Quantity, number: Decimal,
                          walk: Replay | None) -> Hint | None:
    """For a gradient that sums several consumers' products: the consumers whose products the answer leaves out."""
    if quantity.kind != "grad":
        return None
    trace = solution.trace
    edges = trace.consumers(quantity.node)
    if not 2 <= len(edges) <= MAX_CONSUMERS:
        return None
    policy = solution.policy
    keys = [f"df/d#{edge.dst}*d#{edge.dst}/d{'ab'[edge.index]}" for edge in edges]
    keyed = [edge.contribution or 0.0 for edge in edges]
    own = [walk.carried.get(key, value) if walk else value for key, value in zip(keys, keyed)]
    for products in (keyed, own) if own != keyed else (keyed,):  # the key's products, then the student's own
        for size in range(1, len(products)):
            for kept in itertools.combinations(range(len(products)), size):
                if solution.is_right(quantity, policy.product(sum(products[i] for i in kept)), number):
                    left_out = [edges[i].dst for i in range(len(products)) if i not in kept]
                    names = ", ".join(f"#{n} ({trace.nodes[n].symbol})" for n in left_out)
                    return Hint(f"the contribution from {names} is missing: a node's gradient adds up every "
                                "consumer's",
                                f"не хватает вклада от {names}: градиент узла — сумма вкладов всех его потребителей")
    return None


def _difference(policy: RoundingPolicy, other: RoundingPolicy) -> Hint:
    parts, parts_ru = [], []
    if other.convention != policy.convention:
        parts.append(READINGS[other.convention])
        parts_ru.append(READINGS_RU[other.convention])
    if other.ties != policy.ties:
        even = other.ties == Ties.EVEN
        parts.append("ties are rounded to even" if even else "ties are rounded away from zero")
        parts_ru.append("половины округляются к чётному" if even else "половины округляются от нуля")
    return Hint(" and ".join(parts), " и ".join(parts_ru))


def _rule(policy: RoundingPolicy, language: str = "en") -> str:
    if language == "ru":
        ties = "к чётному" if policy.ties == Ties.EVEN else "от нуля"
        return f"{RULES_RU[policy.convention]} (половины {ties})"
    ties = "to even" if policy.ties == Ties.EVEN else "away from zero"
    return f"{RULES[policy.convention]} (ties {ties})"


__all__ = ["READINGS", "Grade", "Hint", "Mark", "Quantity", "Solution", "explain", "grade", "judge", "quantities"]
