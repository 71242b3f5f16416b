"""Type a formula and its input values; a parser error is shown here, caret and all."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from graphlab.formula import FormulaError
from graphlab.trace import Trace
from graphlab.tui.problem import Problem, parse_number
from graphlab.value import EvaluationError

_ASSIGNMENT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_{}]*)\s*=\s*(\S+)\s*$")


def parse_assignments(text: str) -> dict[str, float]:
    """``x0=1; x1=-1`` or ``x0=1 x1=0,5`` (a decimal comma is fine: pairs are split on ; and spaces)."""
    values = {}
    for part in re.split(r"[;\s]+(?=[A-Za-z_])", text.strip()):
        if not part.strip():
            continue
        match = _ASSIGNMENT.match(part.strip().rstrip(";"))
        if match is None:
            raise ValueError(f"{part.strip()!r}: expected NAME=VALUE, like x0=1")
        values[match.group(1)] = parse_number(match.group(2))
    return values


class FormulaScreen(ModalScreen[tuple[Problem, Trace] | None]):
    """Formula and values in; the solved problem and its trace out, or the error shown in place."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, problem: Problem, error: str = "") -> None:
        super().__init__()
        self.problem = problem
        self.error = error

    def compose(self) -> ComposeResult:
        at = " ".join(f"{k}={v:g}" for k, v in self.problem.inputs.items())
        with Vertical(id="formula-dialog", classes="dialog"):
            yield Static("Open a formula", classes="dialog-title")
            yield Static("Python-style: x0 / exp(-(x0*y0 + x1*y1))   LaTeX: \\frac{x_0}{e^{-x_0}}",
                         classes="dialog-note", markup=False)
            with Horizontal(classes="field"):
                yield Label("formula", classes="field-label")
                yield Input(self.problem.formula or "", id="formula", compact=True)
            with Horizontal(classes="field"):
                yield Label("values", classes="field-label")
                yield Input(at, placeholder="x0=1 x1=-1 (or ; between)", id="at", compact=True)
            yield Static(self.error, id="formula-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Open", variant="primary", id="open", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.submit()

    def on_input_submitted(self) -> None:
        self.submit()

    def submit(self) -> None:
        """Solve the formula; any problem stays on this screen with the parser's message."""
        formula = self.query_one("#formula", Input).value
        error = self.query_one("#formula-error", Static)
        try:
            values = parse_assignments(self.query_one("#at", Input).value)
        except ValueError as err:
            error.update(f"values: {err}")
            return
        problem = self.problem.with_formula(formula, values)
        try:
            trace = problem.solve()
        except (FormulaError, EvaluationError) as err:
            error.update(str(err))
            return
        self.dismiss((problem, trace))
