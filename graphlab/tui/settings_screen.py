"""Edit the inputs and the rounding policy; the app re-solves the formula with them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from graphlab.rounding import CONVENTIONS, RoundingPolicy, Ties
from graphlab.tui.problem import parse_number

DECIMALS = [("exact", -1)] + [(f"{n} decimals", n) for n in range(13)]  # all RoundingPolicy allows


class SettingsScreen(ModalScreen[tuple[dict[str, float], RoundingPolicy] | None]):
    """A form: one field per input, and the three parts of the rounding policy."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    AUTO_FOCUS = "Input"

    def __init__(self, inputs: dict[str, float], policy: RoundingPolicy) -> None:
        super().__init__()
        self.inputs = inputs
        self.policy = policy

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="settings", classes="dialog"):
            yield Static("Inputs and rounding", classes="dialog-title")
            for position, (name, value) in enumerate(self.inputs.items()):
                with Horizontal(classes="field"):
                    yield Label(name, classes="field-label", markup=False)
                    yield Input(f"{value:g}", id=f"input-{position}", classes="input-value", compact=True)
            with Horizontal(classes="field"):
                yield Label("decimals", classes="field-label")
                yield Select(DECIMALS, value=-1 if self.policy.exact else self.policy.decimals,
                             allow_blank=False, compact=True, id="decimals")
            with Horizontal(classes="field"):
                yield Label("convention", classes="field-label")
                yield Select([(c.replace("_", " "), c) for c in CONVENTIONS], value=self.policy.convention,
                             allow_blank=False, compact=True, id="convention")
            with Horizontal(classes="field"):
                yield Label("ties", classes="field-label")
                yield Select([("away from zero", Ties.AWAY), ("to even", Ties.EVEN)], value=self.policy.ties,
                             allow_blank=False, compact=True, id="ties")
            yield Static("", id="settings-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="apply", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.apply()

    def on_input_submitted(self) -> None:
        self.apply()

    def apply(self) -> None:
        """Read the form; a value that is not a number is named in the form and nothing changes."""
        values = {}
        for position, name in enumerate(self.inputs):
            text = self.query_one(f"#input-{position}", Input).value
            try:
                values[name] = parse_number(text)
            except ValueError as err:
                self.query_one("#settings-error", Static).update(f"{name}: {err}; expected a number like -1 or 0,5")
                return
        decimals = self.query_one("#decimals", Select).value
        policy = RoundingPolicy(None if decimals == -1 else decimals,
                                self.query_one("#convention", Select).value, self.query_one("#ties", Select).value)
        self.dismiss((values, policy))
