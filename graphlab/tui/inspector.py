"""The node inspector: one node's op, inputs, value, local derivatives and gradient.

It shows what the lecture writes next to a node: the forward value from its
inputs, then on the way back the upstream gradient, each local derivative as a
formula from the ops table and as a number, their product, and — when the node
feeds several consumers — the sum of what arrives. Numbers not reached yet (or
still to be answered in exercise mode) are shown as ``·``.
"""

from __future__ import annotations

from typing import Protocol

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from graphlab.trace import Trace
from graphlab.tui.description import describe
from graphlab.tui.faces import PENDING


class Reveal(Protocol):
    """Which numbers may be shown: the stepper's progress or the exercise's answers."""

    def value_known(self, node_id: int) -> bool: ...
    def grad_known(self, node_id: int) -> bool: ...
    def edge_known(self, consumer: int, source: int) -> bool: ...


def known(reveal: Reveal, number: tuple) -> bool:
    """Whether the number a description's piece names may be shown yet."""
    if number[0] == "edge":
        return reveal.edge_known(number[1], number[2])
    return reveal.value_known(number[1]) if number[0] == "value" else reveal.grad_known(number[1])


def describe_node(trace: Trace, node_id: int, reveal: Reveal) -> Content:
    """The inspector's text for one node: a header, the forward pass, the backward pass."""
    lines = []
    for line in describe(trace, node_id):
        parts = []
        for piece in line:
            text, style = piece.text, piece.style
            if piece.number is not None and (not known(reveal, piece.number) or not text):
                text, style = PENDING, "$text-muted"
            parts.append((text.rjust(piece.width), style))
        lines.append(Content.assemble(*parts))
    return Content("\n").join(lines)


class Inspector(VerticalScroll):
    """A scrolling panel holding the selected node's description."""

    def compose(self):
        yield Static(id="inspector-body")

    def show(self, content: Content) -> None:
        self.query_one("#inspector-body", Static).update(content)
