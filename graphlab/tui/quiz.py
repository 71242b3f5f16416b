"""Exercise mode: the student's answers per node, checked and explained as the grader checks and explains them.

The student gives each operation's forward value and each node's gradient
(the output's gradient is the given initial one, so it is not asked). Each
answer is checked with the exercise's rounding by the same rule as the grader
(``graphlab.exercise.check``), so "20", "20.0" and "20,00" all answer 20.00,
and a wrong one is explained by the grader's own ``judge``: right for the
student's own earlier numbers (error carried forward), a sign, a consumer's
contribution left out of a sum, another reading of the rounding rule.

A number earns 1 point, less ``TRY_COST`` for each wrong try before the right
one and ``HINT_COST`` if the node's hint was shown before it was answered (no
less than 0); a number right only for the student's own earlier numbers earns
the exercise's carried-forward share. A quiz is plain data (``to_dict``), so
``progress`` can save it after every answer and resume it later.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from graphlab.exercise.check import is_right, parse_answer
from graphlab.exercise.grading import Solution, judge
from graphlab.exercise.steps import gradient_quantity, replay
from graphlab.trace import NodeKind, Trace

FIELDS = ("value", "grad")
TRY_COST = 0.25
"""Points a wrong try costs the number it was for."""
HINT_COST = 0.25
"""Points a hint costs each number of its node still to be answered."""


@dataclass(frozen=True)
class Answer:
    """What the student wrote for one number, the number it reads as, and the verdict on it."""

    text: str
    number: Decimal
    right: bool
    verdict: str = ""  # "right", "carried" (right for the student's own numbers) or "wrong"
    hint: str | None = None  # the grader's explanation of a number that is not right


class Quiz:
    """The numbers asked in a trace, the answers given so far, and the tries and hints they took."""

    def __init__(self, trace: Trace, solution: Solution | None = None) -> None:
        self.trace = trace
        self.solution = solution or Solution(None, trace)
        self.asked: list[tuple[int, str]] = [(n.id, "value") for n in trace.nodes if n.kind == NodeKind.OP]
        self.asked += [(n.id, "grad") for n in reversed(trace.nodes)
                       if n.kind != NodeKind.CONST and n.id != trace.output]
        self._asked = set(self.asked)
        self.answers: dict[tuple[int, str], Answer] = {}
        self.tries: Counter[tuple[int, str]] = Counter()
        """Wrong tries of each number before it was answered right."""
        self.hinted: dict[int, set[str]] = {}
        """Nodes whose hint was shown, with the numbers still to answer then."""

    def is_asked(self, node_id: int, field: str) -> bool:
        return (node_id, field) in self._asked

    def expected(self, node_id: int, field: str) -> float:
        node = self.trace.nodes[node_id]
        return node.value if field == "value" else node.grad

    def key(self, node_id: int, field: str) -> str:
        """The grader's name of the number: ``f``, ``#5``, ``df/dx0``, ``df/d#5``."""
        if field == "value":
            return "f" if node_id == self.trace.output else f"#{node_id}"
        return gradient_quantity(self.trace, node_id).key

    def answer(self, node_id: int, field: str, text: str) -> Answer:
        """Check ``text`` (raises ``AnswerError`` when it is not a number), explain it, and keep it."""
        if (node_id, field) not in self._asked:
            raise KeyError(f"the {field} of node #{node_id} is not asked")
        number = parse_answer(text)
        right = is_right(self.expected(node_id, field), number, self.trace.policy)
        verdict, hint = "right", None
        if not right:
            given = {self.key(*q): float(a.number) for q, a in self.answers.items() if q != (node_id, field)}
            given[self.key(node_id, field)] = float(number)
            quantity = self.solution.everything[self.key(node_id, field)]
            verdict, hint = judge(self.solution, quantity, number, replay(self.trace, given))
            if verdict == "right":  # right under the exercise's tolerance, if wider than the rounding rule
                right = True
        previous = self.answers.get((node_id, field))
        if not right and not (previous is not None and previous.right):
            self.tries[(node_id, field)] += 1
        answer = Answer(text.strip(), number, right, verdict, hint)
        self.answers[(node_id, field)] = answer
        return answer

    def hint(self, node_id: int) -> None:
        """Count a hint shown for ``node_id``: it costs the node's numbers not yet answered right."""
        open_fields = {f for f in FIELDS if self.is_asked(node_id, f) and not self._right(node_id, f)}
        if open_fields:
            self.hinted.setdefault(node_id, set()).update(open_fields)

    def _right(self, node_id: int, field: str) -> bool:
        answer = self.answers.get((node_id, field))
        return answer is not None and answer.right

    def _known(self, node_id: int, field: str) -> bool:
        return (node_id, field) not in self._asked or self._right(node_id, field)

    def value_known(self, node_id: int) -> bool:
        """Whether the inspector may show this value: not asked, or answered right."""
        return self._known(node_id, "value")

    def grad_known(self, node_id: int) -> bool:
        return self._known(node_id, "grad")

    def edge_known(self, consumer: int, source: int) -> bool:
        """Whether the local derivative and the product along consumer → source may be shown: only once the
        source's gradient is known, since with one consumer the product *is* that gradient."""
        return self.grad_known(consumer) and self.grad_known(source)

    def credit(self, node_id: int, field: str) -> float:
        """What one number has earned so far (see the module's docstring)."""
        answer = self.answers.get((node_id, field))
        if answer is None or not (answer.right or answer.verdict == "carried"):
            return 0.0
        share = 1.0 if answer.right else self.solution.rules.carried
        cost = TRY_COST * self.tries[(node_id, field)] + (HINT_COST if field in self.hinted.get(node_id, ()) else 0)
        return max(0.0, share - cost)

    @property
    def points(self) -> float:
        return sum(self.credit(*q) for q in self.asked)

    @property
    def score(self) -> tuple[int, int]:
        """(right answers, numbers asked)."""
        return sum(a.right for a in self.answers.values()), len(self.asked)

    @property
    def wrong_tries(self) -> int:
        return sum(self.tries.values())

    @property
    def hints(self) -> int:
        return len(self.hinted)

    def next_unanswered(self) -> tuple[int, str] | None:
        """The first number not yet answered right, in the order of the passes."""
        return next((q for q in self.asked if not self._right(*q)), None)

    # -- saving -------------------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The answers, tries and hints as plain data; ``restore`` reads it back."""
        return {"answers": [{"node": n, "field": f, "text": a.text} for (n, f), a in self.answers.items()],
                "tries": [{"node": n, "field": f, "count": c} for (n, f), c in self.tries.items() if c],
                "hints": [{"node": n, "fields": sorted(fields)} for n, fields in self.hinted.items()]}

    def restore(self, data: dict[str, Any]) -> int:
        """Take back the answers, tries and hints ``to_dict`` wrote; entries that do not fit this graph are
        skipped. Returns how many answers came back."""
        tries, hints = Counter(self.tries), {n: set(f) for n, f in self.hinted.items()}
        for entry in data.get("answers", []):
            try:
                self.answer(int(entry["node"]), str(entry["field"]), str(entry["text"]))
            except (KeyError, TypeError, ValueError):
                continue
        for entry in data.get("tries", []):
            if self._fits(entry, "field") and isinstance(entry.get("count"), int) and 0 <= entry["count"] <= 10_000:
                tries[(entry["node"], entry["field"])] = entry["count"]
        for entry in data.get("hints", []):
            if self._fits(entry, None) and isinstance(entry.get("fields"), list):
                fields = {f for f in entry["fields"] if isinstance(f, str) and self.is_asked(entry["node"], f)}
                if fields:
                    hints.setdefault(entry["node"], set()).update(fields)
        self.tries, self.hinted = tries, hints
        return len(self.answers)

    def _fits(self, entry: Any, field: str | None) -> bool:
        """Whether a saved entry names a node of this graph (and, with ``field``, a number it asks)."""
        if not isinstance(entry, dict) or not isinstance(entry.get("node"), int) or isinstance(entry["node"], bool):
            return False
        return field is None or (isinstance(entry.get(field), str) and self.is_asked(entry["node"], entry[field]))
