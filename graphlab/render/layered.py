"""A layered drawing of a graph before any unit is chosen: layers, order within a layer, waypoints.

This is the part of a Sugiyama-style layout that every picture of a trace
shares; each renderer then maps it to its own units (the terminal explorer to
character cells, TikZ to centimetres, a notebook widget to pixels)::

    layout = layered_layout(trace, floating={n.id for n in trace.nodes if n.kind == "const"})
    layout.layers           # [[0, 1, 2, 3], [4, 5, 10], …]: the slots of each layer, in drawing order
    layout.layer_of[slot]   # the layer of a node or a waypoint
    layout.position[slot]   # its index within that layer
    layout.route(0, 9)      # [10, 11]: the waypoints the edge 0 → 9 passes, one per layer it skips
    layout.is_node(10)      # False: slot 10 is a waypoint, carrying the lines of layout.source[10] == 0

A *slot* is one place in a layer, numbered: node ``i`` is slot ``i``; the
waypoints are numbered after the nodes. Plain numbers keep a 100,000-node
layout fast; every table below is a list indexed by slot.

* Layers are the graph's topological generations (``graph.topological_generations()``),
  except that a *floating* node stands just before its first consumer: a
  constant in ``2 * x`` deep inside a formula, or a layer's weights in a
  network, then sits next to its use instead of pulling a line across the
  whole picture.
* An edge that skips layers crosses each layer in between at a waypoint. A
  source has one waypoint per layer, shared by all its edges, so the lines
  from one node run together until they part.
* Within each layer, slots are ordered by barycentre sweeps: each moves
  towards the mean position of what feeds it (sweeping down), then of what it
  feeds (sweeping up); ties keep the order they had.

Everything is linear in the size of the drawing (nodes, edges and waypoints)
apart from sorting each layer in the sweeps.

``graph`` is anything with ``nodes`` (each with ``id`` and ``inputs``; ids are
positions in creation order, so inputs come before their users) and a
``topological_generations()`` method, as ``Trace`` has.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

SWEEPS = 4
"""Barycentre passes over the layers, alternately down and up."""


class _Node(Protocol):
    id: int
    inputs: list[int]


class LayeredGraph(Protocol):
    """What the layout reads: nodes with their inputs, and the graph's topological generations."""

    nodes: Sequence[_Node]

    def topological_generations(self) -> Iterable[Iterable[int]]: ...


@dataclass(eq=False)
class LayeredLayout:
    """Layers of slots in drawing order (top to bottom, or left to right across a layer)."""

    nodes: int
    """How many slots are nodes (slots ``0 … nodes - 1``)."""
    layers: list[list[int]]
    layer_of: list[int]
    """Slot → its layer."""
    source: list[int]
    """Slot → the node whose lines it carries: itself for a node, its source for a waypoint."""
    position: list[int]
    """Slot → its index within its layer."""
    reach: dict[int, int]
    """Node → the last layer its edges reach (only nodes that feed something)."""
    _first_waypoint: dict[int, int]
    _feeders: tuple[list[int], list[int]] = field(default_factory=lambda: ([0], []))
    # (starts, flat): slot i's feeders are flat[starts[i]:starts[i + 1]]

    def is_node(self, slot: int) -> bool:
        """Whether ``slot`` is a node (not a waypoint)."""
        return slot < self.nodes

    def carrier(self, source: int, layer: int) -> int:
        """The slot of ``layer`` that the lines out of node ``source`` leave from: the node, or its waypoint."""
        own = self.layer_of[source]
        return source if layer == own else self._first_waypoint[source] + layer - own - 1

    def feeders(self, slot: int) -> list[int]:
        """The distinct slots of the layer before whose lines enter ``slot``, in input order."""
        starts, flat = self._feeders
        return flat[starts[slot]:starts[slot + 1]]

    def route(self, source: int, target: int) -> list[int]:
        """The waypoints the edge ``source → target`` passes, in order (none between adjacent layers)."""
        return [self.carrier(source, k) for k in range(self.layer_of[source] + 1, self.layer_of[target])]

    def nodes_of(self, layer: int) -> list[int]:
        """The node ids of ``layer`` in drawing order, without its waypoints."""
        return [slot for slot in self.layers[layer] if slot < self.nodes]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a layout is built.

    A layout allocates hundreds of thousands of small lists and tuples and makes
    no reference cycles; left on, the collector would walk the whole heap (the
    trace and the app included) again and again, which costs more than the
    layout itself on a 100,000-node graph.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def layered_layout(graph: LayeredGraph, floating: Collection[int] = (), sweeps: int = SWEEPS) -> LayeredLayout:
    """Layers, waypoints and order for ``graph``; the nodes in ``floating`` stand just before their first use."""
    with collector_paused():
        return _layered_layout(graph, floating, sweeps)


def _layered_layout(graph: LayeredGraph, floating: Collection[int], sweeps: int) -> LayeredLayout:
    nodes = graph.nodes
    count = len(nodes)
    layer_of = [0] * count
    for k, generation in enumerate(graph.topological_generations()):
        for node_id in generation:
            layer_of[node_id] = k
    if floating:
        _float(nodes, layer_of, set(floating))

    layers: list[list[int]] = [[] for _ in range(max(layer_of, default=-1) + 1)]
    reach: dict[int, int] = {}
    for node in nodes:
        k = layer_of[node.id]
        layers[k].append(node.id)
        for source in node.inputs:
            if reach.get(source, -1) < k:
                reach[source] = k
    source_of = list(range(count))
    first_waypoint: dict[int, int] = {}
    for source, last in reach.items():
        if last - layer_of[source] > 1:
            first_waypoint[source] = len(source_of)
            for k in range(layer_of[source] + 1, last):
                layers[k].append(len(source_of))
                source_of.append(source)
                layer_of.append(k)

    layout = LayeredLayout(count, layers, layer_of, source_of, [0] * len(source_of), reach, first_waypoint)
    layout._feeders = _feeders(layout, nodes)
    _sweep(layout, sweeps)
    return layout


def _feeders(layout: LayeredLayout, nodes: Sequence[_Node]) -> tuple[list[int], list[int]]:
    """Each slot's feeders in one flat list (a few lists instead of one per slot keep big layouts quick)."""
    carrier, layer_of, source_of = layout.carrier, layout.layer_of, layout.source
    starts, flat = [0], []
    for slot in range(len(source_of)):
        k = layer_of[slot] - 1
        if slot < layout.nodes:
            begin = len(flat)
            for source in nodes[slot].inputs:
                feeder = carrier(source, k)
                if feeder not in flat[begin:]:
                    flat.append(feeder)
        else:
            flat.append(carrier(source_of[slot], k))
        starts.append(len(flat))
    return starts, flat


def _float(nodes: Sequence[_Node], layer_of: list[int], floating: set[int]) -> None:
    """Move each floating node to the layer before its first consumer (consumers are settled first)."""
    first_use: dict[int, int] = {}
    for node in reversed(nodes):  # consumers come after their inputs
        if node.id in floating and node.id in first_use:
            layer_of[node.id] = first_use[node.id] - 1
        k = layer_of[node.id]
        for source in node.inputs:
            if first_use.get(source, k + 1) > k:
                first_use[source] = k


def _sweep(layout: LayeredLayout, sweeps: int) -> None:
    """Barycentre sweeps: each slot moves to the mean position of its neighbours in the layer just ordered.

    A slot without neighbours on that side keeps its index; ties keep the current order.
    """
    layers, position = layout.layers, layout.position
    starts, flat = layout._feeders
    fed: list[list[int]] = [[] for _ in position]  # the reverse links, for the sweeps up
    for slot in range(len(position)):
        for i in range(starts[slot], starts[slot + 1]):
            fed[flat[i]].append(slot)
    for layer in layers:
        for i, slot in enumerate(layer):
            position[slot] = i
    for sweep in range(sweeps):
        down = sweep % 2 == 0
        for k in range(1, len(layers)) if down else range(len(layers) - 2, -1, -1):
            layer = layers[k]
            if len(layer) < 2:
                continue
            keys = []
            for i, slot in enumerate(layer):
                near = flat[starts[slot]:starts[slot + 1]] if down else fed[slot]
                keys.append(sum([position[n] for n in near]) / len(near) if near else i)
            layer[:] = [layer[i] for i in sorted(range(len(layer)), key=keys.__getitem__)]
            for i, slot in enumerate(layer):
                position[slot] = i
