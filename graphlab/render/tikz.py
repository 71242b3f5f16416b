"""A trace as a TikZ picture for slides, laid out by us (no Graphviz needed).

The output is a ``tikzpicture`` fragment to ``\\input`` inside a Beamer frame
(it needs only ``\\usepackage{tikz}``, which Beamer loads). The picture reads
as the Graphviz diagram does: inputs in a column on the left, op nodes as
rounded boxes with their symbol, and on every edge the forward value above
the line (dark) and the gradient below it (red, ``gradient`` colour).

``reveal`` picks what is shown:

* ``"all"`` — values and gradients (an answer key);
* ``"blank"`` — nodes and edges only (a worksheet);
* ``"overlays"`` — Beamer overlays: slide 1 the blank graph, slide 2 adds the
  forward values, slide 3 the gradients.

Layout: the layered layout every picture shares (``graphlab.render.layered``),
in columns from left to right. An input or a constant floats: it stands one
column before its first consumer (in a formula, most inputs share column 0; in
a network, a layer's weights stand next to that layer). An edge that skips
columns passes a waypoint in each column it crosses, so it runs between the
nodes instead of through them. Each column is centred on the middle row.
Distances shrink to fit a 4:3 frame; the text keeps its size unless the graph
is too large for that (then it shrinks too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from graphlab.ops import lookup
from graphlab.render.layered import layered_layout
from graphlab.trace import NodeKind, Trace, TraceNode

Reveal = Literal["all", "blank", "overlays"]
COLUMN_CM = 2.3
ROW_CM = 2.2
MAX_WIDTH_CM = 12.0
MAX_HEIGHT_CM = 6.2
MIN_TEXT_SCALE = 0.6
"""Below this scale the numbers would collide, so text shrinks with the picture."""
CORNER_MM = 2.0
"""Radius of an op box's rounded corners at full size; shrunk with the box, or corners wider than a small box
cross over and draw an I-beam."""
OUT_COLUMN = 0.8
"""How far, in columns, the output's edge runs to the label f."""
GRADIENT_RGB = "185,28,28"
VALUE_RGB = "30,41,59"
CONSTANT_RGB = "107,114,128"

_NAME = re.compile(r"^([A-Za-z]+)(\d+)$")


def to_tikz(trace: Trace, reveal: Reveal = "all") -> str:
    """The ``tikzpicture`` of ``trace``, as text ready to ``\\input`` in a frame."""
    if reveal not in ("all", "blank", "overlays"):
        raise ValueError(f"reveal must be 'all', 'blank' or 'overlays', got {reveal!r}")
    plan = layout(trace)
    place = plan.place
    width = max(x for x, _ in place.values()) + 1 + OUT_COLUMN  # and the edge out to f
    rows = [y for _, y in place.values()] + [y for points in plan.waypoints.values() for _, y in points]
    height = max(rows) - min(rows)
    scale = min(1.0, MAX_WIDTH_CM / (width * COLUMN_CM), MAX_HEIGHT_CM / max(height * ROW_CM, 1e-9))
    shrink_text = ", every node/.style={transform shape}" if scale < MIN_TEXT_SCALE else ""
    corner = CORNER_MM * (scale if shrink_text else 1.0)  # TikZ does not scale a corner with its shape
    fmt = trace.policy.format

    def at(point: tuple[int, float], shift: float = 0) -> str:
        x, y = point
        return f"({(x + shift) * COLUMN_CM:.2f},{-y * ROW_CM:.2f})"

    lines = [
        f"% {trace.formula or 'computational graph'} -- {trace.policy.describe()}",
        "% value above each edge, gradient (red) below; written by graphlab",
        f"\\begin{{tikzpicture}}[scale={scale:.3f}{shrink_text}, >=stealth,",
        f"  op/.style={{draw, rounded corners={corner:.2f}mm, minimum size=5mm, inner sep=1pt, fill=black!5, "
        "font=\\small},",
        "  leaf/.style={inner sep=1pt, font=\\small},",
        "  num/.style={font=\\scriptsize, inner sep=1pt}]",
        f"\\definecolor{{glvalue}}{{RGB}}{{{VALUE_RGB}}}\\definecolor{{glgrad}}{{RGB}}{{{GRADIENT_RGB}}}"
        f"\\definecolor{{glconst}}{{RGB}}{{{CONSTANT_RGB}}}",
    ]
    for node in trace.nodes:
        style = "op" if node.kind == NodeKind.OP else "leaf"
        colour = ", text=glconst" if node.kind == NodeKind.CONST else ""
        lines.append(f"\\node[{style}{colour}] (n{node.id}) at {at(place[node.id])} {{{_label(node)}}};")
    lines.append(f"\\node[leaf] (out) at {at(place[trace.output], OUT_COLUMN)} {{$f$}};")
    edges = [(f"n{e.src}", f"n{e.dst}", trace.nodes[e.src], e.contribution, [at(p) for p in plan.waypoints[i]])
             for i, e in enumerate(trace.edges())]
    edges.append((f"n{trace.output}", "out", trace.root, trace.gradient, []))
    for src, dst, source, gradient, points in edges:
        colour = "glconst" if source.kind == NodeKind.CONST else "glvalue"
        value = _wrap(_number(fmt(source.value)), reveal, 2)
        grad = "" if gradient is None else _wrap(_number(fmt(gradient)), reveal, 3)
        step = "to[out=0, in=180]" if points else "--"  # through waypoints: one smooth run
        run = "".join(f" {step} {point}" for point in points)
        # Labels sit on the last stretch: a node has at most two inputs
        # but may feed many consumers, so the consumer's end has room for the numbers.
        lines.append(f"\\draw[->, draw={colour}] ({src}){run} {step} "
                     f"node[num, midway, above, sloped, text={colour}] {{{value}}} "
                     f"node[num, midway, below, sloped, text=glgrad] {{{grad}}} ({dst});")
    lines.append("\\end{tikzpicture}")
    return "\n".join(lines) + "\n"


@dataclass
class Layout:
    """Where everything goes, in (column, row): each node, and the waypoints of each edge that skips columns."""

    place: dict[int, tuple[int, float]]
    waypoints: dict[int, list[tuple[int, float]]]  # edge index → the points it passes, in order


def layout(trace: Trace) -> Layout:
    """Columns are layers; rows are positions within a layer, centred on the middle."""
    plan = layered_layout(trace, floating={n.id for n in trace.nodes if n.kind != NodeKind.OP})

    def point(slot: int) -> tuple[int, float]:
        k = plan.layer_of[slot]
        return k, plan.position[slot] - (len(plan.layers[k]) - 1) / 2

    waypoints = {i: [point(w) for w in plan.route(e.src, e.dst)] for i, e in enumerate(trace.edges())}
    return Layout({n.id: point(n.id) for n in trace.nodes}, waypoints)


def _label(node: TraceNode) -> str:
    if node.kind == NodeKind.OP:
        return f"${lookup(node.op).latex_label(node.params)}$"
    if node.kind == NodeKind.CONST:
        return _number(node.label or f"{node.value:g}")
    match = _NAME.match(node.label)
    return f"${match.group(1)}_{{{match.group(2)}}}$" if match else f"${node.label}$"


def _number(text: str) -> str:
    return f"${text.replace('−', '-')}$" if text else ""


def _wrap(text: str, reveal: Reveal, slide: int) -> str:
    if reveal == "blank" or not text:
        return ""
    if reveal == "overlays":
        return f"\\only<{slide}->{{{text}}}"
    return text
