"""The help screen: every key, and how to read a box."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("Stepping", [
        ("space / n", "next step: forward node by node, then backward"),
        ("b", "undo the last step"),
        ("f", "finish the forward pass"),
        ("e / end", "run to the end of both passes"),
        ("r / home", "reset to the start"),
        ("p", "play / pause, one step per tick"),
        ("+ / −", "play faster / slower"),
    ]),
    ("Graph", [
        ("arrows", "select the neighbouring node (or click a box)"),
        ("shift+arrows", "pan (or scroll with the mouse wheel)"),
    ]),
    ("Inputs and rounding", [
        ("i", "edit the inputs and the rounding policy"),
        ("d", "cycle decimals: exact, 0, 1, 2, 3, 4"),
        ("c", "cycle the rounding convention"),
        ("t", "ties: away from zero / to even"),
    ]),
    ("Exercise", [
        ("x", "exercise mode on / off: you fill in every value and gradient"),
        ("a / enter", "answer the selected node"),
        ("h", "a hint for the selected node: the rule, not the number"),
    ]),
    ("Other", [
        ("o", "open a formula (Python-style or LaTeX) with its input values"),
        ("s", "save the diagram (.svg .png .pdf .dot) or the trace (.json)"),
        ("?", "this help"),
        ("ctrl+p", "command palette: change the colour theme, and more"),
        ("q", "quit"),
    ]),
]

LEGEND = """\
A box is a node: its op (or input name) in the top border, then
  v  the forward value     g  the gradient ∂f/∂node
  ·  not computed yet      ?  yours to answer (exercise mode)
Edges carry values left to right and gradients back; the selected
node's edges are highlighted. Numbers follow the rounding policy."""


class HelpScreen(ModalScreen[None]):
    """Keys and legend; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static("graphlab explorer — keys", classes="dialog-title")
            for section, rows in KEYS:
                yield Static(section, classes="help-section")
                yield Static("\n".join(f"  {key:<14}{what}" for key, what in rows), markup=False)
            yield Static("Reading the graph", classes="help-section")
            yield Static(LEGEND, markup=False)
            yield Static("escape closes this screen", classes="dialog-note")
