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
from graphlab.tui.faces import PENDING

NAME_WIDTH = 26


class Reveal(Protocol):
    """Which numbers may be shown: the stepper's progress or the exercise's answers."""

    def value_known(self, node_id: int) -> bool: ...
    def grad_known(self, node_id: int) -> bool: ...


def _short(text: str, width: int = NAME_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def describe_node(trace: Trace, node_id: int, reveal: Reveal) -> Content:
    """The inspector's text for one node."""
    node = trace.nodes[node_id]
    fmt = trace.policy.format
    lines: list[Content] = []

    def number(x: float | None, known: bool, style: str) -> tuple[str, str]:
        return (fmt(x), style) if known and x is not None else (PENDING, "$text-muted")

    role = {"input": "input", "const": "constant"}.get(node.kind, "operation")
    if node_id == trace.output:
        role += " · output f"
    lines.append(Content.assemble((node.symbol, "bold $accent"), "  ", (_short(node.name, 40), "bold"),
                                  (f"  #{node.id} {role}", "$text-muted")))
    lines.append(Content.assemble(("forward", "bold underline")))
    if node.kind == "op":
        extra = f", {parameters(node)}" if node.params else ""
        lines.append(Content.assemble("  out = ", (expression(node), "bold"), extra))
        for rule in local_rules(node):
            src = trace.nodes[rule.source]
            lines.append(Content.assemble(f"  {rule.argument} = ", _short(src.name).ljust(NAME_WIDTH), " ",
                                          number(src.value, reveal.value_known(src.id), "$text-success")))
    lines.append(Content.assemble("  value", " " * (NAME_WIDTH - 1),
                                  number(node.value, reveal.value_known(node_id), "bold $text-success")))
    if node.kind == "const":
        lines.append(Content.styled("  no gradient flows into a constant", "$text-muted"))
        return Content("\n").join(lines)

    lines.append(Content.assemble(("backward", "bold underline")))
    grad_known = reveal.grad_known(node_id)
    if node_id == trace.output:
        lines.append(Content.assemble("  ∂f/∂f = ", number(node.grad, grad_known, "bold $text-error"),
                                      ("  (the initial gradient)", "$text-muted")))
    else:
        incoming = arrivals(trace, node_id)
        if len(incoming) > 1:
            lines.append(Content.styled(f"  feeds {len(incoming)} consumers: their contributions add up",
                                        "$text-warning"))
        for a in incoming:
            consumer = trace.nodes[a.consumer]
            known = reveal.grad_known(a.consumer)
            lines.append(Content.assemble(
                "  from ", (consumer.symbol, "$accent"), " ", _short(consumer.name, 20), f" (as {a.argument}): ",
                number(a.upstream, known, "$text-error"), " × ", number(a.local, known, "$text-error"),
                " = ", number(a.contribution, known, "$text-error")))
        lines.append(Content.assemble(f"  ∂f/∂{_short(node.name, 16)} = ", number(node.grad, grad_known,
                                                                                   "bold $text-error")))
    if node.kind == "op":
        lines.append(Content.assemble(("  local derivatives × upstream:", "$text-muted")))
        for rule in local_rules(node):
            src = trace.nodes[rule.source]
            if rule.local is None:
                lines.append(Content.assemble(f"  {rule.formula}  ", ("(constant: skipped)", "$text-muted")))
                continue
            lines.append(Content.assemble(
                f"  {rule.formula} = ", number(rule.local, grad_known, "$text-error"),
                " × ", number(node.grad, grad_known, "$text-error"),
                " = ", number(rule.contribution, grad_known, "bold $text-error"),
                (f" → {_short(src.name, 16)}", "$text-muted")))
    return Content("\n").join(lines)


class Inspector(VerticalScroll):
    """A scrolling panel holding the selected node's description."""

    def compose(self):
        yield Static(id="inspector-body")

    def show(self, content: Content) -> None:
        self.query_one("#inspector-body", Static).update(content)
