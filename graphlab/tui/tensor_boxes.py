"""A tensor trace as boxes for the explorer: one per layer, or a layer's ops when it is expanded.

A *layer* is a name scope (``with scope("fc1")``, or the attribute name a
``Module`` is called under). Collapsed, a layer is one box holding its ops and
its parameters, and it shows its output; expanded, each of its ops and
parameters is a box of its own. Ops outside every scope (the loss written
inline, a reshape) are always their own boxes. Boxes are numbered so that every
box's inputs come before it, which is what the shared layered layout
(``graphlab.render.layered``) reads.
"""

from __future__ import annotations

import heapq
import math
import os
from dataclasses import dataclass, field

from graphlab.render.tensor_graph import owners
from graphlab.tensor.trace import Summary, TensorTrace, TensorTraceNode
from graphlab.trace import NodeKind


@dataclass
class TensorBox:
    """One box: a single node (``members`` has one id) or a collapsed layer (all the layer's nodes)."""

    id: int
    title: str
    node: TensorTraceNode  # whose value and gradient the box shows: the node, or the layer's output
    scope: str  # the layer it is or belongs to ("" outside every layer)
    layer: bool  # a collapsed layer (expand it to see its ops)
    members: list[int] = field(default_factory=list)
    inputs: list[int] = field(default_factory=list)  # ids of the boxes feeding it
    anomaly: bool = False


@dataclass
class BoxGraph:
    """The boxes in an order where inputs come first, as ``layered_layout`` expects."""

    trace: TensorTrace
    nodes: list[TensorBox]
    box_of: dict[int, int]  # trace node id → box id
    layer_parameters: dict[int, int]  # box id of a collapsed layer → elements of its parameters

    def topological_generations(self) -> list[list[int]]:
        depth = [0] * len(self.nodes)
        for box in self.nodes:
            depth[box.id] = 1 + max((depth[i] for i in box.inputs), default=-1)
        layers: list[list[int]] = [[] for _ in range(max(depth, default=-1) + 1)]
        for box in self.nodes:
            layers[depth[box.id]].append(box.id)
        return layers

    def layers(self) -> list[str]:
        """Every layer's scope, in the order the trace first reaches it."""
        owned = owners(self.trace)
        return list(dict.fromkeys(s for s in (_layer_of(n, owned) for n in self.trace.nodes) if s))


def box_graph(trace: TensorTrace, expanded: set[str] = frozenset()) -> BoxGraph:
    """Boxes for ``trace`` with the layers in ``expanded`` shown op by op.

    A layer whose box would sit on a cycle (it feeds a box that feeds it back)
    is shown expanded, so the picture always reads in one direction.
    """
    owned = owners(trace)
    expanded = set(expanded)
    while True:
        graph = _group(trace, owned, expanded)
        if graph is not None:
            return graph
        expanded |= {_layer_of(node, owned) for node in trace.nodes} - {""}


def _layer_of(node: TensorTraceNode, owned: dict[int, str]) -> str:
    return node.scope if node.kind == NodeKind.OP else owned.get(node.id, "")


def _group(trace: TensorTrace, owned: dict[int, str], expanded: set[str]) -> BoxGraph | None:
    """The boxes in topological order, or None when grouping the collapsed layers made a cycle."""
    key_of: list[object] = []
    groups: dict[object, list[int]] = {}
    for node in trace.nodes:
        layer = _layer_of(node, owned)
        key = ("layer", layer) if layer and layer not in expanded else ("node", node.id)
        key_of.append(key)
        groups.setdefault(key, []).append(node.id)
    keys = list(groups)
    index = {key: i for i, key in enumerate(keys)}
    feeds: list[set[int]] = [set() for _ in keys]
    for node in trace.nodes:
        for i in node.inputs:
            src, dst = index[key_of[i]], index[key_of[node.id]]
            if src != dst:
                feeds[dst].add(src)
    order = _topological(feeds)
    if order is None:
        return None
    new_id = {old: new for new, old in enumerate(order)}
    boxes, parameters = [], {}
    for old in order:
        key, members = keys[old], groups[keys[old]]
        inputs = sorted(new_id[s] for s in feeds[old])
        if key[0] == "node":
            node = trace.nodes[members[0]]
            title = node.label or ("parameter" if node.kind == NodeKind.INPUT else "input")
            boxes.append(TensorBox(new_id[old], title, node, _layer_of(node, owned), False, members, inputs,
                                   node.anomaly))
            continue
        layer = key[1]
        output = _layer_output(trace, members, set(members))
        boxes.append(TensorBox(new_id[old], layer, output, layer, True, members, inputs,
                               any(trace.nodes[m].anomaly for m in members)))
        parameters[new_id[old]] = sum(math.prod(trace.nodes[m].shape) for m in members
                                      if trace.nodes[m].kind == NodeKind.INPUT)
    box_of = {m: new_id[index[key_of[m]]] for m in range(len(trace.nodes))}
    return BoxGraph(trace, boxes, box_of, parameters)


def _layer_output(trace: TensorTrace, members: list[int], inside: set[int]) -> TensorTraceNode:
    """The op of a layer that something outside it reads (the last such), else its last op."""
    used_outside = {i for node in trace.nodes if node.id not in inside for i in node.inputs}
    ops = [m for m in members if trace.nodes[m].kind == NodeKind.OP]
    leaving = [m for m in ops if m in used_outside or m == trace.output]
    return trace.nodes[(leaving or ops or members)[-1]]


def _topological(feeds: list[set[int]]) -> list[int] | None:
    """Kahn's order of the groups (ties by first appearance), or None on a cycle."""
    waiting = [len(f) for f in feeds]
    users: list[list[int]] = [[] for _ in feeds]
    for dst, sources in enumerate(feeds):
        for src in sources:
            users[src].append(dst)
    ready = [i for i, n in enumerate(waiting) if n == 0]
    order = []
    heapq.heapify(ready)
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for user in users[i]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, user)
    return order if len(order) == len(feeds) else None


# -- what a box says -------------------------------------------------------------------------------


def shape_text(summary: Summary) -> str:
    """``16×32 float32``, ``scalar float32``."""
    dims = "×".join(str(n) for n in summary.shape) if summary.shape else "scalar"
    return f"{dims} {summary.dtype}"


def statistics(summary: Summary) -> str:
    """The values when there are at most six, else ``μ 0.041 σ 0.29``."""
    if summary.values is not None:
        return "[" + ", ".join(number(v) for v in summary.values) + "]"
    return f"μ {number(summary.mean)} σ {number(summary.std)}"


def number(x: float | None) -> str:
    """Four significant digits; NaN and infinities as such (they are what anomaly marks point at)."""
    if x is None:
        return "–"
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "−inf"
    return f"{x:.4g}"


def short_where(where: str) -> str:
    """``train.py:57`` for ``/home/…/train.py:57``."""
    path, _, line = where.rpartition(":")
    return f"{os.path.basename(path)}:{line}" if path else where
