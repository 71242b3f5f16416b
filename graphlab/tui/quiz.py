"""Exercise mode: the student's answers per node, checked against the trace.

The student gives each operation's forward value and each node's gradient
(the output's gradient is the given initial one, so it is not asked). Each
answer is checked with the exercise's rounding by the same rule as the grader
(``graphlab.exercise.check``), so "20", "20.0" and "20,00" all answer 20.00.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from graphlab.exercise.check import is_right, parse_answer
from graphlab.trace import NodeKind, Trace

FIELDS = ("value", "grad")


@dataclass(frozen=True)
class Answer:
    """What the student wrote for one number, the number it reads as, and whether it is right."""

    text: str
    number: Decimal
    right: bool


class Quiz:
    """The numbers asked in a trace and the answers given so far."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        self.asked: list[tuple[int, str]] = [(n.id, "value") for n in trace.nodes if n.kind == NodeKind.OP]
        self.asked += [(n.id, "grad") for n in reversed(trace.nodes)
                       if n.kind != NodeKind.CONST and n.id != trace.output]
        self._asked = set(self.asked)
        self.answers: dict[tuple[int, str], Answer] = {}

    def is_asked(self, node_id: int, field: str) -> bool:
        return (node_id, field) in self._asked

    def expected(self, node_id: int, field: str) -> float:
        node = self.trace.nodes[node_id]
        return node.value if field == "value" else node.grad

    def answer(self, node_id: int, field: str, text: str) -> Answer:
        """Check ``text`` (raises ``AnswerError`` when it is not a number) and keep it."""
        if (node_id, field) not in self._asked:
            raise KeyError(f"the {field} of node #{node_id} is not asked")
        number = parse_answer(text)
        answer = Answer(text.strip(), number, is_right(self.expected(node_id, field), number, self.trace.policy))
        self.answers[(node_id, field)] = answer
        return answer

    def _known(self, node_id: int, field: str) -> bool:
        answer = self.answers.get((node_id, field))
        return (node_id, field) not in self._asked or (answer is not None and answer.right)

    def value_known(self, node_id: int) -> bool:
        """Whether the inspector may show this value: not asked, or answered right."""
        return self._known(node_id, "value")

    def grad_known(self, node_id: int) -> bool:
        return self._known(node_id, "grad")

    @property
    def score(self) -> tuple[int, int]:
        """(right answers, numbers asked)."""
        return sum(a.right for a in self.answers.values()), len(self.asked)

    def next_unanswered(self) -> tuple[int, str] | None:
        """The first number not yet answered right, in the order of the passes."""
        return next((q for q in self.asked if not (q in self.answers and self.answers[q].right)), None)
