"""What the notebook widget draws, as plain JSON data: boxes in pixels, edges, the passes, the inspector.

Positions come from the shared layered layout (``graphlab.render.layered``):
layers run left to right as on the slides, a layer's slots top to bottom, and
an edge that skips layers bends through its waypoints. Everything the widget
shows is read here from the trace; the browser only decides which numbers the
stepper or the student has reached.
"""

from __future__ import annotations

from typing import Any

from graphlab.render.layered import layered_layout
from graphlab.render.tables import answers
from graphlab.rounding import CONVENTIONS
from graphlab.trace import NodeKind, Trace
from graphlab.tui.description import describe
from graphlab.tui.faces import shown
from graphlab.tui.quiz import Quiz
from graphlab.tui.stepper import Stepper

BOX_WIDTH = 88
BOX_HEIGHT = 52
COLUMN_GAP = 44
ROW_GAP = 22
MARGIN = 16


def graph_payload(trace: Trace, title: str = "", can_recompute: bool = True) -> dict[str, Any]:
    """The trace as the widget's ``graph``: nodes with pixel boxes, edges with bends, orders and descriptions."""
    layout = layered_layout(trace, floating={n.id for n in trace.nodes if n.kind == NodeKind.CONST})

    def centre(slot: int) -> tuple[float, float]:
        return (MARGIN + layout.layer_of[slot] * (BOX_WIDTH + COLUMN_GAP) + BOX_WIDTH / 2,
                MARGIN + layout.position[slot] * (BOX_HEIGHT + ROW_GAP) + BOX_HEIGHT / 2)

    nodes = []
    for node in trace.nodes:
        x, y = centre(node.id)
        nodes.append({"id": node.id, "kind": node.kind, "symbol": node.symbol, "name": node.name,
                      "value": shown(trace, node.value)[0],
                      "grad": None if node.grad is None else shown(trace, node.grad)[0],
                      "x": x - BOX_WIDTH / 2, "y": y - BOX_HEIGHT / 2,
                      "lines": [[[p.text, p.style, p.number and list(p.number), p.width] for p in line]
                                for line in describe(trace, node.id)]})
    edges = []
    for edge in trace.edges():
        points = [centre(edge.src)] + [centre(w) for w in layout.route(edge.src, edge.dst)] + [centre(edge.dst)]
        edges.append({"src": edge.src, "dst": edge.dst, "index": edge.index, "points": points})
    stepper = Stepper(trace)
    policy = trace.policy
    width = MARGIN * 2 + len(layout.layers) * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP
    height = MARGIN * 2 + max(len(layer) for layer in layout.layers) * (BOX_HEIGHT + ROW_GAP) - ROW_GAP
    return {
        "title": title, "formula": trace.formula or "", "output": trace.output,
        "policy": {"decimals": policy.decimals, "convention": policy.convention, "ties": policy.ties},
        "policy_text": policy.describe(), "conventions": list(CONVENTIONS), "can_recompute": can_recompute,
        "width": width, "height": height, "box": [BOX_WIDTH, BOX_HEIGHT],
        "nodes": nodes, "edges": edges,
        "forward": stepper.forward_order, "backward": stepper.backward_order,
        "asked": [list(q) for q in Quiz(trace).asked],
        "results": dict(answers(trace)),  # f = 20.00, ∂f/∂x0 = 40.00 …: the status line once both passes are done
    }
