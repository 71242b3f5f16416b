"""The layered layout every picture shares: layers follow the edges, waypoints fill skipped layers, sweeps untangle."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx
import pytest

from graphlab import Value, round_to
from graphlab.render.layered import layered_layout
from graphlab.render.tikz import layout as tikz_layout
from graphlab.solve import solve


@dataclass
class Node:
    id: int
    inputs: list[int] = field(default_factory=list)


@dataclass
class Graph:
    """A bare graph: the layout needs no trace, only nodes with inputs and their generations."""

    nodes: list[Node]

    def topological_generations(self):
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(n.id for n in self.nodes)
        graph.add_edges_from((i, n.id) for n in self.nodes for i in n.inputs)
        return nx.topological_generations(graph)


def random_graph(seed: int, size: int = 40) -> Graph:
    rng = random.Random(seed)
    nodes = [Node(i) for i in range(4)]
    for i in range(4, size):
        nodes.append(Node(i, [rng.randrange(i) for _ in range(rng.choice([1, 2, 2, 3]))]))
    return Graph(nodes)


def crossings(layout, graph) -> int:
    """Pairs of lines between adjacent layers that cross."""
    links = [(f, s) for s in range(len(layout.source)) for f in layout.feeders(s)]
    return sum(1 for (a, b), (c, d) in combinations(links, 2)
               if layout.layer_of[a] == layout.layer_of[c]
               and (layout.position[a] - layout.position[c]) * (layout.position[b] - layout.position[d]) < 0)


@pytest.mark.parametrize("seed", range(10))
def test_layers_follow_the_edges_and_waypoints_fill_the_layers_between(seed):
    graph = random_graph(seed)
    layout = layered_layout(graph)
    generation = {n: k for k, gen in enumerate(graph.topological_generations()) for n in gen}
    for node in graph.nodes:
        assert layout.layer_of[node.id] == generation[node.id]
        for source in node.inputs:
            route = layout.route(source, node.id)
            assert [layout.layer_of[w] for w in route] == list(range(layout.layer_of[source] + 1,
                                                                     layout.layer_of[node.id]))
            assert all(not layout.is_node(w) and layout.source[w] == source for w in route)
    for k, layer in enumerate(layout.layers):
        assert [layout.position[s] for s in layer] == list(range(len(layer)))
        assert all(layout.layer_of[s] == k for s in layer)
    # One waypoint per source and layer, shared by all its edges.
    waypoints = [(layout.source[s], layout.layer_of[s]) for s in range(layout.nodes, len(layout.source))]
    assert len(waypoints) == len(set(waypoints))


def test_a_floating_node_stands_just_before_its_first_consumer():
    # 0 → 1 → 2 → 4 → 5, and the constant 3 is used by 4 and by 5.
    graph = Graph([Node(0), Node(1, [0]), Node(2, [1]), Node(3), Node(4, [2, 3]), Node(5, [4, 3])])
    assert layered_layout(graph).layer_of[3] == 0
    floated = layered_layout(graph, floating={3})
    assert floated.layer_of[3] == floated.layer_of[4] - 1 == 2
    assert floated.route(3, 5) == [floated.carrier(3, 3)]


def test_floating_nodes_that_feed_each_other_settle_from_the_consumer_back():
    graph = Graph([Node(0), Node(1, [0]), Node(2, [1]), Node(3, [2]), Node(4), Node(5, [4]), Node(6, [3, 5])])
    layout = layered_layout(graph, floating={4, 5})
    assert (layout.layer_of[4], layout.layer_of[5], layout.layer_of[6]) == (2, 3, 4)


def test_the_sweeps_untangle_what_creation_order_crossed():
    # u reads b and v reads a: in creation order their lines cross; one sweep puts v above u.
    graph = Graph([Node(0), Node(1), Node(2, [1]), Node(3, [0]), Node(4, [2, 3])])
    assert crossings(layered_layout(graph, sweeps=0), graph) == 1
    assert crossings(layered_layout(graph), graph) == 0


@pytest.mark.parametrize("seed", range(10))
def test_sweeps_never_add_crossings_on_random_graphs(seed):
    graph = random_graph(seed, 30)
    assert crossings(layered_layout(graph), graph) <= crossings(layered_layout(graph, sweeps=0), graph)


def test_a_trace_lays_out_as_it_is():
    trace = solve("x0 / exp(-(x0*y0 + x1*y1))", {"x0": 1, "x1": -1, "y0": 1, "y1": -2})
    layout = layered_layout(trace)
    assert layout.layers[0] == [0, 2, 1, 3]  # the inputs, each pair next to its product
    assert layout.route(0, trace.output) == [layout.carrier(0, k) for k in range(1, 5)]


def test_tikz_columns_and_rows_come_from_the_shared_layout():
    with round_to(2):
        x, y = Value(1.0, "x"), Value(2.0, "y")
        f = (x * y).exp() * 3 + x
    f.backward()
    trace = f.trace()
    picture = tikz_layout(trace)
    shared = layered_layout(trace, floating={n.id for n in trace.nodes if n.kind != "op"})
    for node in trace.nodes:
        column, row = picture.place[node.id]
        k = shared.layer_of[node.id]
        assert column == k and row == shared.position[node.id] - (len(shared.layers[k]) - 1) / 2
    three = next(n for n in trace.nodes if n.kind == "const")
    assert picture.place[three.id][0] == picture.place[three.id + 1][0] - 1  # just before its product
    for index, edge in enumerate(trace.edges()):  # x's edge into the last sum passes a point per column
        columns = [c for c, _ in picture.waypoints[index]]
        assert columns == list(range(picture.place[edge.src][0] + 1, picture.place[edge.dst][0]))
