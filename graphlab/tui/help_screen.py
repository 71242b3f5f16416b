"""The help screen: every key, generated from the bindings, and how to read a box.

A binding documents itself with its ``tooltip`` (which the footer also shows);
``help_sections`` groups the documented bindings into sections, and keys that
do the same thing share a row, so changing a key in ``BINDINGS`` changes the
help with it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from graphlab.tui import box
from graphlab.tui.faces import PENDING

Section = tuple[str, list[tuple[str, str]]]
"""A section's title and its rows: (keys, what they do)."""

KEY_WIDTH = 14
"""Columns of the key column (a wider key pushes its row's text right)."""
TEXT_WIDTH = 56
"""Columns of a row's text before it wraps under itself."""

LEGEND = f"""\
A box is a node: its op (or input name) in the top border, then
  {box.PREFIXES[box.VALUE_ROW].strip()}  the forward value     {box.PREFIXES[box.GRAD_ROW].strip()}  the gradient ∂f/∂node
  {PENDING}  not computed yet      ?  yours to answer (exercise mode)
Edges carry values left to right and gradients back; the selected
node's edges are highlighted. Numbers follow the rounding policy."""


def help_sections(bindings: Iterable[Binding], sections: Mapping[str, Iterable[str]],
                  key_display: Callable[[Binding], str]) -> list[Section]:
    """The documented ``bindings`` (those with a tooltip) under ``sections`` (title → action names).

    Rows follow the order of the actions in their section; the keys of bindings
    with the same action and tooltip are joined (``space / n``), each shown as
    ``key_display`` (the app's ``get_key_display``) shows it.
    """
    keys: dict[tuple[str, str], list[str]] = {}  # (action name, tooltip) → keys as shown
    for binding in bindings:
        if not binding.tooltip:
            continue
        shown = keys.setdefault((binding.action.split("(")[0], binding.tooltip), [])
        for key in binding.key.split(","):
            display = key_display(binding.with_key(key.strip(), binding.key_display))
            if display not in shown:
                shown.append(display)
    result = []
    for title, actions in sections.items():
        order = {action: i for i, action in enumerate(actions)}
        rows = sorted(((order[name], " / ".join(shown), tooltip) for (name, tooltip), shown in keys.items()
                       if name in order), key=lambda row: row[0])
        result.append((title, [(key, tooltip) for _, key, tooltip in rows]))
    return result


def row_text(keys: str, what: str) -> str:
    """One row: the keys, then what they do, wrapped under itself."""
    lines = textwrap.wrap(what, TEXT_WIDTH) or [""]
    first = f"  {keys:<{KEY_WIDTH - 1}} {lines[0]}"
    return "\n".join([first, *(" " * (KEY_WIDTH + 2) + line for line in lines[1:])])


class HelpScreen(ModalScreen[None]):
    """Keys and legend; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, sections: list[Section]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static("graphlab explorer — keys", classes="dialog-title")
            for section, rows in self.sections:
                yield Static(section, classes="help-section")
                yield Static("\n".join(row_text(keys, what) for keys, what in rows), markup=False)
            yield Static("Reading the graph", classes="help-section")
            yield Static(LEGEND, markup=False)
            yield Static("escape closes this screen", classes="dialog-note")
