"""How renderers name a node: a name the user gave it, else its position.

The formula parser labels every op node with the text of its sub-formula
(``x0*y0``); a user of the scalar engine may name one (``label="q"``). Only a
name is worth repeating in a diagram or a table cell: a sub-formula is shown
once, in the node's own row, and referred to as ``#id`` elsewhere.
"""

from __future__ import annotations

from graphlab.trace import NodeKind, Trace, TraceNode


def given_name(node: TraceNode) -> str | None:
    """The name a user gave an op node (an identifier such as ``q`` or ``L``), if any."""
    return node.label if node.kind == NodeKind.OP and node.label.isidentifier() else None


def reference(node: TraceNode) -> str:
    """How another row refers to ``node``: an input's or constant's label, an op's name or ``#id``."""
    if node.kind != NodeKind.OP:
        return node.name
    return given_name(node) or f"#{node.id}"


def output_name(trace: Trace) -> str:
    """What the answers call the formula: the output's given name, else ``f``."""
    return given_name(trace.root) or "f"
