"""Exercise mode: type a node's forward value and gradient; each is checked as it is given."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from graphlab.exercise.check import AnswerError, parse_answer
from graphlab.tui.quiz import Answer, Quiz

FIELD_NAMES = {"value": "value", "grad": "gradient"}


class AnswerScreen(ModalScreen[dict[str, Answer] | None]):
    """One field per number asked at the node; a comma is a decimal separator."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, quiz: Quiz, node_id: int) -> None:
        super().__init__()
        self.quiz = quiz
        self.node_id = node_id
        self.fields = [f for f in ("value", "grad") if quiz.is_asked(node_id, f)]

    def compose(self) -> ComposeResult:
        node = self.quiz.trace.nodes[self.node_id]
        with Vertical(id="answer-dialog", classes="dialog"):
            yield Static(f"Node {node.symbol}  {node.name}", classes="dialog-title", markup=False)
            for field in self.fields:
                previous = self.quiz.answers.get((self.node_id, field))
                with Horizontal(classes="field"):
                    yield Label(FIELD_NAMES[field], classes="field-label")
                    yield Input(previous.text if previous else "", id=f"answer-{field}",
                                placeholder="e.g. 0,05 or -40.00", compact=True)
            yield Static(f"Rounding: {self.quiz.trace.policy.describe()}", classes="dialog-note")
            yield Static("", id="answer-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Check", variant="primary", id="check", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.check()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the value field moves on to the gradient; Enter in the last field checks."""
        fields = list(self.query(Input))
        if event.input is not fields[-1]:
            fields[fields.index(event.input) + 1].focus()
        else:
            self.check()

    def check(self) -> None:
        """Check every filled field; text that is not a number is reported and nothing is kept."""
        texts = {f: self.query_one(f"#answer-{f}", Input).value for f in self.fields}
        try:
            for text in texts.values():
                if text.strip():
                    parse_answer(text)
        except AnswerError as err:
            self.query_one("#answer-error", Static).update(f"{err}; expected a number like 20,00")
            return
        self.dismiss({f: self.quiz.answer(self.node_id, f, t) for f, t in texts.items() if t.strip()})
