"""A tensor trace as a Graphviz diagram: one box per layer (collapsed) or every op (expanded).

The picture reads top to bottom, data first. Each box shows what flows out of
it instead of a number: the shape and dtype, then the value's mean μ, standard
deviation σ and range (or the values themselves when there are at most six),
then the same for the gradient.

* Collapsed: every name scope (``with scope("fc1"):``) is one rounded box with
  the scope's name, the ops inside it, the number of parameters it owns and its
  output; ops outside any scope are drawn on their own.
* Expanded: every op is a box, clustered per scope (nested scopes nest), each
  parameter inside the cluster of the scope that uses it.

Colours, as in the scalar diagrams: values dark slate (``#1e293b``), gradients
red (``#b91c1c``), shapes and constants grey (``#6b7280``), op boxes filled
light slate (``#f1f5f9``), parameters white. A node that anomaly mode marked
(its value or gradient first became NaN/inf) is filled amber (``#fde68a``) with a
dark amber border (``#b45309``) and names the line that created it; a collapsed
layer that contains one is coloured the same.

A parameter here is a leaf that needs a gradient and is used inside exactly one
scope; it is drawn in (or counted by) that scope. Everything is read from the
``TensorTrace``, whose values reached the host in one transfer; node names come
from trace ids, so one trace always gives the same DOT.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from graphlab.render.graphviz_render import (
    CONSTANT_COLOUR,
    FONT,
    GRADIENT_COLOUR,
    LINE_COLOUR,
    OP_FILL,
    VALUE_COLOUR,
)
from graphlab.tensor.trace import Summary, TensorTrace, TensorTraceNode
from graphlab.trace import NodeKind

if TYPE_CHECKING:
    import graphviz

WARNING_FILL = "#fde68a"
WARNING_BORDER = "#b45309"
LEAF_FILL = "white"
CLUSTER_FILL = "#f8fafc"


@dataclass
class Box:
    """One drawn node: a single trace node, or (collapsed) a whole scope."""

    name: str
    title: str
    node: TensorTraceNode  # whose value and gradient the box shows: the op, leaf, or the scope's output
    cluster: str = ""  # the scope it is drawn inside ("" = top level)
    ops: list[str] = field(default_factory=list)  # collapsed: the op labels inside, in order
    parameters: int | None = None  # collapsed: elements of the parameters the scope owns
    anomaly: bool = False
    where: str = ""


@dataclass
class Layout:
    """What to draw: boxes and edges (box name → box name), in trace order."""

    boxes: list[Box]
    edges: list[tuple[str, str]]


def to_graphviz(trace: TensorTrace, *, collapsed: bool = False, title: str | None = None) -> graphviz.Digraph:
    """The trace as a ``graphviz.Digraph``, one box per scope when ``collapsed``, else one per op."""
    import graphviz

    layout = layer_layout(trace) if collapsed else op_layout(trace)
    dot = graphviz.Digraph(
        "tensor_trace",
        graph_attr={"rankdir": "TB", "ordering": "in", "ranksep": "0.35", "nodesep": "0.3", "bgcolor": "white",
                    "fontname": FONT, "labelloc": "t", "label": _title(title, collapsed)},
        node_attr={"fontname": FONT, "fontsize": "11", "fontcolor": VALUE_COLOUR, "shape": "box",
                   "style": "rounded,filled", "color": LINE_COLOUR, "margin": "0.08,0.04"},
        edge_attr={"color": LINE_COLOUR, "arrowsize": "0.7", "penwidth": "1.1"},
    )
    clusters = _cluster_tree([box.cluster for box in layout.boxes])
    _draw_cluster(dot, "", clusters, layout.boxes, trace)
    for src, dst in layout.edges:
        dot.edge(src, dst)
    return dot


# -- walking the trace into boxes ------------------------------------------------------------


def owners(trace: TensorTrace) -> dict[int, str]:
    """Parameter id → the one scope that uses it (leaves needing a gradient, used in a single scope)."""
    used_in: dict[int, set[str]] = {}
    for node in trace.nodes:
        for i in node.inputs:
            used_in.setdefault(i, set()).add(node.scope)
    result = {}
    for node in trace.nodes:
        scopes = used_in.get(node.id, set())
        if node.kind == NodeKind.INPUT and len(scopes) == 1 and "" not in scopes:
            result[node.id] = next(iter(scopes))
    return result


def op_layout(trace: TensorTrace) -> Layout:
    """Every node its own box; ops in their scope's cluster, parameters in their owner's."""
    owned = owners(trace)
    boxes = []
    for node in trace.nodes:
        cluster = node.scope if node.kind == NodeKind.OP else owned.get(node.id, "")
        boxes.append(Box(_name(node.id), _node_title(node), node, cluster, anomaly=node.anomaly, where=node.where))
    edges = [(_name(i), _name(node.id)) for node in trace.nodes for i in node.inputs]
    return Layout(boxes, edges)


def layer_layout(trace: TensorTrace) -> Layout:
    """One box per scope (its ops, parameters and output); unscoped nodes stay single boxes."""
    owned = owners(trace)
    scopes = {node.id: node.scope for node in trace.nodes if node.kind == NodeKind.OP and node.scope}
    scopes.update(owned)
    consumers: dict[int, list[str]] = {}
    for node in trace.nodes:
        for i in node.inputs:
            consumers.setdefault(i, []).append(scopes.get(node.id, ""))
    groups: dict[str, Box] = {}
    box_of: dict[int, str] = {}
    boxes = []
    for node in trace.nodes:
        scope = scopes.get(node.id)
        if scope is None:
            box = Box(_name(node.id), _node_title(node), node, anomaly=node.anomaly, where=node.where)
            boxes.append(box)
            box_of[node.id] = box.name
            continue
        box = groups.get(scope)
        if box is None:
            box = groups[scope] = Box(f"scope{len(groups)}", scope, node, ops=[], parameters=0)
            boxes.append(box)
        box_of[node.id] = box.name
        if node.kind == NodeKind.INPUT:
            box.parameters += _size(node.value.shape)
            continue
        box.ops.append(node.label)
        box.anomaly = box.anomaly or node.anomaly
        box.where = box.where or (node.where if node.anomaly else "")
        leaves_scope = node.id == trace.output or any(s != scope for s in consumers.get(node.id, []))
        if leaves_scope or box.node.kind == NodeKind.INPUT:
            box.node = node  # the scope's output: the last of its ops that something outside reads
    edges = [(box_of[i], box_of[node.id]) for node in trace.nodes for i in node.inputs]
    return Layout(boxes, [e for e in dict.fromkeys(edges) if e[0] != e[1]])


# -- drawing -------------------------------------------------------------------------------------


def _cluster_tree(scopes: list[str]) -> list[str]:
    """Every scope and all its dotted prefixes, in first-use order."""
    seen: list[str] = []
    for scope in scopes:
        parts = scope.split(".") if scope else []
        for depth in range(1, len(parts) + 1):
            prefix = ".".join(parts[:depth])
            if prefix not in seen:
                seen.append(prefix)
    return seen


def _draw_cluster(dot, scope: str, clusters: list[str], boxes: list[Box], trace: TensorTrace) -> None:
    for box in boxes:
        if box.cluster == scope:
            _draw_box(dot, box, trace)
    for index, child in enumerate(clusters):
        parent = child.rpartition(".")[0]
        if parent != scope:
            continue
        with dot.subgraph(name=f"cluster_{index}") as sub:
            sub.attr(label=f"<<b>{escape(child.rpartition('.')[2])}</b>>", labeljust="l", style="rounded,filled",
                     fillcolor=CLUSTER_FILL, color=LINE_COLOUR, fontcolor=VALUE_COLOUR, fontsize="12")
            _draw_cluster(sub, child, clusters, boxes, trace)


def _draw_box(dot, box: Box, trace: TensorTrace) -> None:
    node = box.node
    rows = [f"<b>{escape(box.title)}</b>"]
    if box.ops:
        rows.append(f'<font color="{CONSTANT_COLOUR}">{escape(_op_list(box.ops))}</font>')
    if box.parameters:
        rows.append(f"{box.parameters:,} parameters")
    rows.append(f'<font color="{CONSTANT_COLOUR}">{escape(_shape(node.value))}</font>')
    rows.extend(_statistics(node.value, VALUE_COLOUR, ""))
    if node.grad is not None:
        rows.extend(_statistics(node.grad, GRADIENT_COLOUR, "∇ "))
    if box.anomaly:
        rows.append(f'<font color="{WARNING_BORDER}"><b>NaN/inf first appears here</b></font>')
        if box.where:
            rows.append(f'<font color="{WARNING_BORDER}">{escape(_short_where(box.where))}</font>')
    label = "<" + "<br/>".join(rows) + ">"
    attrs = {"fillcolor": OP_FILL}
    if node.kind == NodeKind.INPUT:
        attrs["fillcolor"] = LEAF_FILL
    elif node.kind == NodeKind.CONST:
        attrs.update(fillcolor=LEAF_FILL, color=CONSTANT_COLOUR, style="rounded,filled,dashed")
    if box.anomaly:
        attrs.update(fillcolor=WARNING_FILL, color=WARNING_BORDER, penwidth="2")
    if node.id == trace.output:
        attrs["peripheries"] = "2"
    dot.node(box.name, label, **attrs)


def _statistics(summary: Summary, colour: str, prefix: str) -> list[str]:
    """The values when there are few, else μ, σ and the range; one or two lines."""
    if summary.values is not None:
        values = ", ".join(_number(v) for v in summary.values)
        return [f'<font color="{colour}">{escape(prefix)}[{escape(values)}]</font>']
    return [f'<font color="{colour}">{escape(prefix)}μ {_number(summary.mean)}  σ {_number(summary.std)}</font>',
            f'<font color="{colour}">{escape(prefix)}[{_number(summary.min)}, {_number(summary.max)}]</font>']


def _node_title(node: TensorTraceNode) -> str:
    if node.kind == NodeKind.OP:
        return node.label
    return node.label or ("parameter" if node.kind == NodeKind.INPUT else "input")


def _op_list(labels: list[str], limit: int = 6) -> str:
    shown = labels if len(labels) <= limit else labels[:limit - 1] + [f"… {len(labels) - limit + 1} more"]
    return " → ".join(shown)


def _shape(summary: Summary) -> str:
    dims = "×".join(str(n) for n in summary.shape) if summary.shape else "scalar"
    return f"{dims}  {summary.dtype}"


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return escape(f"{value:.4g}".replace("-", "−"))


def _short_where(where: str) -> str:
    path, _, line = where.rpartition(":")
    return f"{os.path.basename(path)}:{line}"


def _size(shape: tuple[int, ...]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def _name(node_id: int) -> str:
    return f"n{node_id}"


def _title(title: str | None, collapsed: bool) -> str:
    heading = f'<font point-size="16">{escape(title)}</font><br/>' if title else ""
    view = "one box per layer" if collapsed else "every op, clustered per layer"
    legend = (f'<font color="{CONSTANT_COLOUR}">{view} · shape · </font>'
              f'<font color="{VALUE_COLOUR}">value μ σ [min, max]</font>'
              f'<font color="{CONSTANT_COLOUR}"> · </font>'
              f'<font color="{GRADIENT_COLOUR}">∇ gradient</font>')
    return f'<{heading}<font point-size="11">{legend}</font><br/>>'
