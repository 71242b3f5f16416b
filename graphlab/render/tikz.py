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

Layout: an op node's column is one more than its deepest input's; a constant
stands one column before its consumer; the inputs share column 0. Within a
column, nodes are ordered by the mean row of their inputs, then of their
consumers (one sweep each way), and spread evenly around the middle. The
picture is scaled to fit a 4:3 or 16:9 frame.
"""

from __future__ import annotations

import re
from typing import Literal

from graphlab.trace import Trace, TraceNode

Reveal = Literal["all", "blank", "overlays"]
COLUMN_CM = 2.3
ROW_CM = 1.25
MAX_WIDTH_CM = 11.0
MAX_HEIGHT_CM = 6.2
GRADIENT_RGB = "185,28,28"
VALUE_RGB = "30,41,59"
CONSTANT_RGB = "107,114,128"

_SYMBOLS = {
    "add": "$+$", "sub": "$-$", "mul": r"$\times$", "div": r"$\div$", "neg": "$-$",
    "pow_var": "$a^{b}$", "exp": r"$\exp$", "log": r"$\ln$", "sqrt": r"$\sqrt{\cdot}$",
    "abs": r"$|\cdot|$", "square": r"$(\cdot)^2$", "reciprocal": "$1/x$", "sin": r"$\sin$",
    "cos": r"$\cos$", "max": r"$\max$", "min": r"$\min$", "sigmoid": r"$\sigma$", "tanh": r"$\tanh$",
    "relu": "ReLU", "elu": "ELU", "selu": "SELU", "softplus": "softplus", "silu": "SiLU",
    "gelu": "GELU", "gelu_tanh": "GELU$_t$",
}
_NAME = re.compile(r"^([A-Za-z]+)(\d+)$")


def to_tikz(trace: Trace, reveal: Reveal = "all") -> str:
    """The ``tikzpicture`` of ``trace``, as text ready to ``\\input`` in a frame."""
    if reveal not in ("all", "blank", "overlays"):
        raise ValueError(f"reveal must be 'all', 'blank' or 'overlays', got {reveal!r}")
    place = layout(trace)
    width = max(x for x, _ in place.values()) + 1
    rows = [y for _, y in place.values()]
    height = max(rows) - min(rows)
    scale = min(1.0, MAX_WIDTH_CM / (width * COLUMN_CM), MAX_HEIGHT_CM / max(height * ROW_CM, 1e-9))
    fmt = trace.policy.format
    lines = [
        f"% {trace.formula or 'computational graph'} -- {trace.policy.describe()}",
        "% value above each edge, gradient (red) below; written by graphlab",
        f"\\begin{{tikzpicture}}[scale={scale:.3f}, every node/.style={{transform shape}}, >=stealth,",
        "  op/.style={draw, rounded corners=2.5mm, minimum size=6.5mm, inner sep=1.5pt, fill=black!5, font=\\small},",
        "  leaf/.style={inner sep=1pt, font=\\small},",
        "  num/.style={font=\\scriptsize, inner sep=1pt}]",
        f"\\definecolor{{glvalue}}{{RGB}}{{{VALUE_RGB}}}\\definecolor{{glgrad}}{{RGB}}{{{GRADIENT_RGB}}}"
        f"\\definecolor{{glconst}}{{RGB}}{{{CONSTANT_RGB}}}",
    ]
    for node in trace.nodes:
        x, y = place[node.id]
        style = "op" if node.kind == "op" else "leaf"
        colour = ", text=glconst" if node.kind == "const" else ""
        lines.append(f"\\node[{style}{colour}] (n{node.id}) at ({x * COLUMN_CM:.2f},{-y * ROW_CM:.2f}) "
                     f"{{{_label(node)}}};")
    ox, oy = place[trace.output]
    lines.append(f"\\node[leaf] (out) at ({(ox + 1) * COLUMN_CM:.2f},{-oy * ROW_CM:.2f}) {{$f$}};")
    edges = [(f"n{e.src}", f"n{e.dst}", trace.nodes[e.src], e.contribution, _path(place[e.src], place[e.dst]))
             for e in trace.edges()]
    edges.append((f"n{trace.output}", "out", trace.root, trace.gradient, "--"))
    for src, dst, source, gradient, path in edges:
        constant = source.kind == "const"
        value = _wrap(_number(fmt(source.value)), reveal, 2)
        grad = "" if gradient is None else _wrap(_number(fmt(gradient)), reveal, 3)
        colour = "glconst" if constant else "glvalue"
        lines.append(f"\\draw[->, draw={colour}] ({src}) {path} "
                     f"node[num, midway, above, sloped, text={colour}] {{{value}}} "
                     f"node[num, midway, below, sloped, text=glgrad] {{{grad}}} ({dst});")
    lines.append("\\end{tikzpicture}")
    return "\n".join(lines) + "\n"


def layout(trace: Trace) -> dict[int, tuple[int, float]]:
    """Column and row of every node (rows may be fractional: columns are centred)."""
    column: dict[int, int] = {}
    consumers: dict[int, list[int]] = {n.id: [] for n in trace.nodes}
    for node in trace.nodes:  # creation order: inputs before their users
        for i in node.inputs:
            consumers[i].append(node.id)
        if node.kind == "op":
            column[node.id] = 1 + max(column.get(i, 0) for i in node.inputs)
        elif node.kind == "input":
            column[node.id] = 0
    for node in trace.nodes:
        if node.kind == "const":
            column[node.id] = max(0, min(column[c] for c in consumers[node.id]) - 1) if consumers[node.id] else 0
    width = max(column.values()) + 1
    columns: list[list[int]] = [[] for _ in range(width)]
    for node in trace.nodes:
        columns[column[node.id]].append(node.id)
    row = {}
    for ids in columns:
        _spread(ids, row)

    def mean(ids: list[int], fallback: float) -> float:
        return sum(row[i] for i in ids) / len(ids) if ids else fallback

    for ids in columns[1:]:
        ids.sort(key=lambda i: mean(trace.nodes[i].inputs, row[i]))
        _spread(ids, row)
    for ids in reversed(columns[:-1]):
        ids.sort(key=lambda i: mean(consumers[i], row[i]))
        _spread(ids, row)
    return {i: (column[i], row[i]) for i in column}


def _path(src: tuple[int, float], dst: tuple[int, float]) -> str:
    """A straight line to the next column; a longer edge arcs outwards, clear of the nodes between."""
    if dst[0] - src[0] < 2:
        return "--"
    side = "left" if src[1] <= dst[1] else "right"  # rows grow downwards: "left" arcs up
    return f"to[bend {side}=25]"


def _spread(ids: list[int], row: dict[int, float]) -> None:
    middle = (len(ids) - 1) / 2
    for position, node_id in enumerate(ids):
        row[node_id] = position - middle


def _label(node: TraceNode) -> str:
    if node.kind == "op":
        if node.op == "pow":
            return f"$(\\cdot)^{{{node.params['p']:g}}}$"
        if node.op == "leaky_relu":
            return f"LReLU({node.params['slope']:g})"
        return _SYMBOLS.get(node.op, node.op)
    if node.kind == "const":
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
