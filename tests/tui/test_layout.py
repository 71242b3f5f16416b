"""The text layout: every node gets a box, boxes never overlap, every edge is one connected line."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graphlab.tui.box import HEIGHT
from graphlab.tui.layout import ARROW, compute_layout


@pytest.fixture(params=["lecture", "chain"])
def trace(request, lecture, chain_trace):
    if request.param == "lecture":
        return lecture.solve()
    return chain_trace(40)


def test_layers_follow_the_edges(trace):
    layer = {node: box.layer for node, box in compute_layout(trace).boxes.items()}
    for edge in trace.edges():
        assert layer[edge.src] < layer[edge.dst]
    # Apart from constants (moved next to their consumer), layers are networkx's generations.
    generations = {n: k for k, gen in enumerate(nx.topological_generations(trace.to_networkx())) for n in gen}
    for node in trace.nodes:
        if node.kind != "const":
            assert layer[node.id] == generations[node.id]


def test_boxes_do_not_overlap_and_fit_their_numbers(trace):
    layout = compute_layout(trace)
    taken: set[tuple[int, int]] = set()
    for node in trace.nodes:
        box = layout.boxes[node.id]
        cells = {(y, x) for y in range(box.y, box.y + HEIGHT) for x in range(box.x, box.right)}
        assert not cells & taken, f"box of node {node.id} overlaps another"
        taken |= cells
        for number in (node.value, node.grad):
            assert len("v " + trace.policy.format(number)) <= box.width - 2
        assert box.right <= layout.width and box.y + HEIGHT <= layout.height
    assert all(len(layout.line(y)) == layout.width for y in range(layout.height))


def test_every_edge_is_a_connected_line_from_source_to_arrow(trace):
    layout = compute_layout(trace)
    lines = [layout.line(y) for y in range(layout.height)]
    for edge in trace.edges():
        cells = {(y, x) for y, xs in layout.edge_cells(edge.dst, edge.index).items() for x in xs}
        src, dst = layout.boxes[edge.src], layout.boxes[edge.dst]
        start = (src.out_port, src.right)
        arrow = (dst.in_port(edge.index), dst.x - 1)
        assert start in cells and arrow in cells
        assert lines[arrow[0]][arrow[1]] == ARROW
        # Walk the line from the source: it must reach the arrow without leaving the edge's cells.
        seen, frontier = {start}, [start]
        while frontier:
            y, x = frontier.pop()
            for near in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if near in cells and near not in seen:
                    seen.add(near)
                    frontier.append(near)
        assert arrow in seen, f"edge {edge.src}→{edge.dst} is broken"
        assert all(lines[y][x] != " " for y, x in cells)
        assert not any(b.x <= x < b.right and b.y <= y < b.y + HEIGHT
                       for y, x in cells for b in layout.boxes.values()), "an edge runs through a box"


def test_a_graph_of_hundreds_of_nodes_lays_out(chain_trace):
    trace = chain_trace(150)
    assert len(trace.nodes) > 300
    layout = compute_layout(trace)
    assert set(layout.boxes) == {n.id for n in trace.nodes}


def test_thousands_of_nodes_lay_out_without_drawing_the_whole_grid(chain_trace):
    """x feeds every other layer of this chain: a grid of every cell, or a list of cells per edge, is too big."""
    trace = chain_trace(2000)
    layout = compute_layout(trace)
    assert len(trace.nodes) > 6000 and layout.width * layout.height > 10**6
    assert set(layout.boxes) == {n.id for n in trace.nodes}
    box = layout.boxes[trace.output]
    assert layout.box_at(box.x + 1, box.y + 2) is box
    assert layout.row_text(box.y, box.x, box.width).startswith("╭─ tanh")
    x = layout.highlight(layout.outgoing(0))
    assert len(layout.outgoing(0)) > 1000 and x.columns(layout.boxes[0].out_port, 0, layout.width)


def test_a_window_of_a_row_is_that_part_of_the_whole_row(trace):
    layout = compute_layout(trace)
    rng = random.Random(1)
    for _ in range(200):
        y, left, width = rng.randrange(layout.height), rng.randrange(layout.width), rng.randrange(1, 90)
        assert layout.row_text(y, left, width) == layout.line(y)[left:left + width].ljust(width)


def test_highlighting_a_node_takes_exactly_the_cells_of_its_edges(trace):
    layout = compute_layout(trace)
    for node in trace.nodes:
        edges = [(node.id, i) for i in range(len(node.inputs))] + layout.outgoing(node.id)
        assert sorted(edges) == sorted([(node.id, i) for i in range(len(node.inputs))]
                                       + [(e.dst, e.index) for e in trace.consumers(node.id)])
        expected = {(y, x) for edge in edges for y, xs in layout.edge_cells(*edge).items() for x in xs}
        highlight = layout.highlight(edges)
        found = {(y, x) for y in range(layout.height) for x in highlight.columns(y, 0, layout.width)}
        assert found == expected


@pytest.mark.parametrize("formula, at", [
    (r"\frac{a}{b} + \ln a", {"a": 2, "b": 4}),  # a leaves on the row where b arrives
    ("tanh(w1*x + b1)*w2 + sigmoid(w1*x)*x - w2*b1", {"w1": 0.5, "x": 2, "b1": 0.1, "w2": -1}),
])
def test_lines_of_different_sources_only_cross(formula, at):
    from graphlab.rounding import RoundingPolicy
    from graphlab.solve import solve

    trace = solve(formula, at, RoundingPolicy(3))
    _check_only_crossings(trace)


def test_lines_of_different_sources_only_cross_in_big_graphs(lecture, chain_trace):
    _check_only_crossings(lecture.solve())
    _check_only_crossings(chain_trace(30))


def random_trace(seed: int, inputs: int = 4, ops: int = 25):
    """A random graph with fan-out, reuse of inputs, constants and unary ops."""
    from graphlab import Value, round_to

    rng = random.Random(seed)
    with round_to(2):
        nodes = [Value(rng.choice([-2, -1, 1, 2, 3]), f"x{i}") for i in range(inputs)]
        for _ in range(ops):
            a, b = rng.choice(nodes[-8:] + nodes[:inputs]), rng.choice(nodes)
            nodes.append(rng.choice([a + b, a * b, a - b, a.tanh(), a * 0.5]))
        out = nodes[-1]
        for node in nodes[-6:-1]:
            out = out + node
    out.backward()
    return out.trace()


@pytest.mark.parametrize("seed", range(30))
def test_random_graphs_lay_out_cleanly(seed):
    trace = random_trace(seed)
    test_boxes_do_not_overlap_and_fit_their_numbers(trace)
    test_every_edge_is_a_connected_line_from_source_to_arrow(trace)
    _check_only_crossings(trace)


def _check_only_crossings(trace):
    """Where lines of two different sources meet, one runs across and the other up or down."""
    layout = compute_layout(trace)
    by_cell: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for edge in trace.edges():
        cells = {(y, x) for y, xs in layout.edge_cells(edge.dst, edge.index).items() for x in xs}
        for y, x in cells:
            across = (y, x - 1) in cells or (y, x + 1) in cells
            along = (y - 1, x) in cells or (y + 1, x) in cells
            by_cell.setdefault((y, x), []).append((edge.src, "both" if across and along else
                                                   "across" if across else "along"))
    for cell, uses in by_cell.items():
        sources = {src for src, _ in uses}
        if len(sources) > 1:
            ways = {way for _, way in uses}
            assert ways == {"across", "along"}, f"lines of nodes {sources} run together at {cell}"
