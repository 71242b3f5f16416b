"""The notebook explorer: an anywidget whose Python half holds the trace and checks answers.

The browser half (``explorer.js``) draws the graph and steps the passes; what it
shows comes from ``payload.graph_payload``. Two things go back to Python, so
they have one implementation shared with the terminal explorer: a new rounding
policy (the problem is solved again by the library) and an answer in exercise
mode (checked by ``Quiz``, that is by ``graphlab.exercise.check``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

from graphlab.rounding import RoundingPolicy
from graphlab.tui.problem import Problem
from graphlab.tui.quiz import Quiz
from graphlab.value import EvaluationError
from graphlab.widget.payload import graph_payload

HERE = Path(__file__).parent


class Explorer(anywidget.AnyWidget):
    """Step through a trace's forward and backward pass in a notebook, or answer it as an exercise."""

    _esm = HERE / "explorer.js"
    _css = HERE / "explorer.css"

    graph = traitlets.Dict().tag(sync=True)
    """What to draw (``graph_payload``); replaced when the rounding changes."""
    position = traitlets.Int(0).tag(sync=True)
    """Steps taken through both passes (the browser moves it)."""
    selected = traitlets.Int(-1).tag(sync=True)
    """The node whose description the inspector shows."""
    mode = traitlets.Unicode("step").tag(sync=True)
    """``"step"`` to walk the passes, ``"exercise"`` to answer every value and gradient."""
    answers = traitlets.Dict().tag(sync=True)
    """Exercise mode: ``"node/field"`` → the answer as read, and whether it is right."""
    message = traitlets.Unicode("").tag(sync=True)
    """The last thing to tell the user: a policy that cannot be used, an answer that is not a number."""

    def __init__(self, problem: Problem, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problem = problem
        self.trace = problem.solve()
        self.quiz: Quiz | None = None
        self._show()
        self.selected = self.graph["forward"][0] if self.graph["forward"] else self.trace.output
        self.on_msg(self._received)

    def _show(self) -> None:
        title = self.problem.title if self.problem.title != self.problem.formula else ""
        self.graph = graph_payload(self.trace, title, can_recompute=self.problem.formula is not None)
        self.quiz = Quiz(self.trace) if self.mode == "exercise" else None
        self.answers = {}

    @traitlets.observe("mode")
    def _mode_changed(self, change: dict) -> None:
        self.quiz = Quiz(self.trace) if change["new"] == "exercise" else None
        self.answers = {}

    def _received(self, _widget: Any, content: dict, _buffers: list) -> None:
        kind = content.get("type")
        if kind == "policy":
            self.use_policy(content.get("decimals"), content.get("convention"), content.get("ties"))
        elif kind == "answer":
            self.answer(int(content["node"]), str(content["field"]), str(content["text"]))

    def use_policy(self, decimals: int | None, convention: str | None, ties: str | None) -> bool:
        """Solve again under another rounding; the message says why not when it cannot."""
        chosen = {name: value for name, value in (("convention", convention), ("ties", ties)) if value}
        try:
            policy = RoundingPolicy(decimals, **chosen)
            trace = self.problem.with_policy(policy).solve()
        except (ValueError, EvaluationError) as err:  # a bad policy, or a formula it breaks (FormulaError too)
            self.message = f"cannot use that rounding: {err}"
            return False
        self.problem = self.problem.with_policy(policy)
        self.trace = trace
        self.message = ""
        self._show()
        return True

    def answer(self, node_id: int, field: str, text: str) -> None:
        """Check one answer of exercise mode, as the terminal explorer and the grader do."""
        from graphlab.exercise.check import AnswerError  # lazy: loaded when an answer is checked

        if self.quiz is None:
            self.message = "switch to exercise mode to answer"
            return
        try:
            given = self.quiz.answer(node_id, field, text)
        except (AnswerError, KeyError) as err:
            self.message = str(err.args[0] if isinstance(err, KeyError) else err)
            return
        self.message = ""
        self.answers = {**self.answers, f"{node_id}/{field}": {"text": given.text, "number": str(given.number),
                                                               "right": given.right}}
