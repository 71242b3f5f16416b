"""What the inspector says about a node, as lines of styled pieces, before anything is drawn.

The terminal explorer turns a description into Textual ``Content``; the notebook
widget into HTML. A piece that shows one of the trace's numbers names it
(``("value", node_id)``, ``("grad", node_id)``, or ``("edge", consumer, source)``
for a local derivative or a product sent along an edge), so each front end
shows the number only once the stepper or the student has reached it, and
``·`` before. In an exercise an edge's numbers wait for the source's gradient:
with one consumer, the product *is* that gradient.
Styles are Textual's names (``$text-success`` for values, ``$text-error`` for
gradients, ``$text-muted``, ``$accent``, ``$text-warning``, ``bold``).
"""

from __future__ import annotations

from dataclasses import dataclass

from graphlab.trace import NodeKind, Trace
from graphlab.tui.explain import arrivals, expression, local_rules, parameters
from graphlab.tui.faces import shown

NAME_WIDTH = 26
NUMBER_WIDTH = 10
FORWARD = ("forward   ", "bold")
BACKWARD = ("backward  ", "bold")


@dataclass(frozen=True)
class Piece:
    """A run of text; ``number`` names the trace's number it shows, if it shows one."""

    text: str
    style: str = ""
    number: tuple[str, int] | tuple[str, int, int] | None = None  # ("value" | "grad", id) or ("edge", c, s)
    width: int = 0  # right-justified to this many columns


Line = list[Piece]


def _short(text: str, width: int = NAME_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def describe(trace: Trace, node_id: int) -> list[Line]:
    """The inspector's lines for one node: a header, the forward pass, the backward pass."""
    node = trace.nodes[node_id]
    lines: list[Line] = []

    def number(x: float | None, field: str, source: int, style: str, width: int = 0, target: int | None = None) -> Piece:
        name = (field, source) if target is None else (field, source, target)
        return Piece("" if x is None else shown(trace, x)[0], style, name, width)

    def text(*parts: str | tuple[str, str] | Piece) -> Line:
        return [p if isinstance(p, Piece) else Piece(*((p,) if isinstance(p, str) else p)) for p in parts]

    role = {"input": "input", "const": "constant"}.get(node.kind, "operation")
    if node_id == trace.output:
        role += " · output f"
    symbol = (f"{node.symbol}  ", "bold $accent") if node.kind == NodeKind.OP else ""
    lines.append(text(symbol, (_short(node.name, 40), "bold"), (f"  #{node.id} {role}", "$text-muted")))

    value = number(node.value, "value", node_id, "bold $text-success")
    if node.kind == NodeKind.OP:
        extra = f" ({parameters(node)})" if node.params else ""
        lines.append(text(FORWARD, "out = ", (expression(node), "bold"), extra, " = ", value))
        for rule in local_rules(node):
            src = trace.nodes[rule.source]
            lines.append(text(f"  {rule.argument} = ", _short(src.name).ljust(NAME_WIDTH),
                              number(src.value, "value", src.id, "$text-success", NUMBER_WIDTH)))
    else:
        lines.append(text(FORWARD, value, ("  given", "$text-muted")))
    if node.kind == NodeKind.CONST:
        lines.append(text(BACKWARD, ("no gradient flows into a constant", "$text-muted")))
        return lines

    grad = number(node.grad, "grad", node_id, "bold $text-error")
    if node_id == trace.output:
        lines.append(text(BACKWARD, "∂f/∂f = ", grad, ("  the initial gradient", "$text-muted")))
    else:
        incoming = arrivals(trace, node_id)
        if len(incoming) > 1:
            lines.append(text(BACKWARD, (f"{len(incoming)} consumers: their contributions add up", "$text-warning")))
        for a in incoming:
            consumer = trace.nodes[a.consumer]
            lead = BACKWARD if len(incoming) == 1 else "  "
            lines.append(text(
                lead, "from ", (consumer.symbol, "$accent"), f" {_short(consumer.name, 18)} as {a.argument}: ",
                number(a.upstream, "grad", a.consumer, "$text-error"), " × ",
                number(a.local, "edge", a.consumer, "$text-error", target=node_id), " = ",
                number(a.contribution, "edge", a.consumer, "$text-error", target=node_id)))
        lines.append(text(f"  ∂f/∂{_short(node.name, 20)} = ", grad))
    for rule in local_rules(node):
        src = trace.nodes[rule.source]
        if rule.local is None:
            lines.append(text(f"  {rule.formula}  ", ("constant: no gradient", "$text-muted")))
            continue
        lines.append(text(
            f"  {rule.formula} = ", number(rule.local, "edge", node_id, "$text-error", target=src.id),
            " × ", number(node.grad, "grad", node_id, "$text-error"),
            " = ", number(rule.contribution, "edge", node_id, "bold $text-error", target=src.id),
            (f" → {_short(src.name, 16)}", "$text-muted")))
    return lines
