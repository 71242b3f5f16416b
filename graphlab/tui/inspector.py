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
from graphlab.tui.explain import arrivals, expression, local_rules, parameters
from graphlab.tui.faces import PENDING, shown

NAME_WIDTH = 26
NUMBER_WIDTH = 10
FORWARD = ("forward   ", "bold")
BACKWARD = ("backward  ", "bold")


class Reveal(Protocol):
    """Which numbers may be shown: the stepper's progress or the exercise's answers."""

    def value_known(self, node_id: int) -> bool: ...
    def grad_known(self, node_id: int) -> bool: ...


def _short(text: str, width: int = NAME_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def describe_node(trace: Trace, node_id: int, reveal: Reveal) -> Content:
    """The inspector's text for one node: a header, the forward pass, the backward pass."""
    node = trace.nodes[node_id]
    lines: list[Content] = []

    def number(x: float | None, known: bool, style: str, width: int = 0) -> tuple[str, str]:
        text, style = (shown(trace, x)[0], style) if known and x is not None else (PENDING, "$text-muted")
        return text.rjust(width), style

    role = {"input": "input", "const": "constant"}.get(node.kind, "operation")
    if node_id == trace.output:
        role += " · output f"
    symbol = (f"{node.symbol}  ", "bold $accent") if node.kind == "op" else ""
    lines.append(Content.assemble(symbol, (_short(node.name, 40), "bold"), (f"  #{node.id} {role}", "$text-muted")))

    value = number(node.value, reveal.value_known(node_id), "bold $text-success")
    if node.kind == "op":
        extra = f" ({parameters(node)})" if node.params else ""
        lines.append(Content.assemble(FORWARD, "out = ", (expression(node), "bold"), extra, " = ", value))
        for rule in local_rules(node):
            src = trace.nodes[rule.source]
            lines.append(Content.assemble(f"  {rule.argument} = ", _short(src.name).ljust(NAME_WIDTH),
                                          number(src.value, reveal.value_known(src.id), "$text-success",
                                                 NUMBER_WIDTH)))
    else:
        lines.append(Content.assemble(FORWARD, value, ("  given", "$text-muted")))
    if node.kind == "const":
        lines.append(Content.assemble(BACKWARD, ("no gradient flows into a constant", "$text-muted")))
        return Content("\n").join(lines)

    grad = number(node.grad, reveal.grad_known(node_id), "bold $text-error")
    if node_id == trace.output:
        lines.append(Content.assemble(BACKWARD, "∂f/∂f = ", grad, ("  the initial gradient", "$text-muted")))
    else:
        incoming = arrivals(trace, node_id)
        if len(incoming) > 1:
            lines.append(Content.assemble(BACKWARD, (f"{len(incoming)} consumers: their contributions add up",
                                                     "$text-warning")))
        for a in incoming:
            consumer = trace.nodes[a.consumer]
            known = reveal.grad_known(a.consumer)
            lead = BACKWARD if len(incoming) == 1 else "  "
            lines.append(Content.assemble(
                lead, "from ", (consumer.symbol, "$accent"), f" {_short(consumer.name, 18)} as {a.argument}: ",
                number(a.upstream, known, "$text-error"), " × ", number(a.local, known, "$text-error"),
                " = ", number(a.contribution, known, "$text-error")))
        lines.append(Content.assemble(f"  ∂f/∂{_short(node.name, 20)} = ", grad))
    for rule in local_rules(node):
        src = trace.nodes[rule.source]
        if rule.local is None:
            lines.append(Content.assemble(f"  {rule.formula}  ", ("constant: no gradient", "$text-muted")))
            continue
        known = reveal.grad_known(node_id)
        lines.append(Content.assemble(
            f"  {rule.formula} = ", number(rule.local, known, "$text-error"),
            " × ", number(node.grad, known, "$text-error"),
            " = ", number(rule.contribution, known, "bold $text-error"),
            (f" → {_short(src.name, 16)}", "$text-muted")))
    return Content("\n").join(lines)


class Inspector(VerticalScroll):
    """A scrolling panel holding the selected node's description."""

    def compose(self):
        yield Static(id="inspector-body")

    def show(self, content: Content) -> None:
        self.query_one("#inspector-body", Static).update(content)
