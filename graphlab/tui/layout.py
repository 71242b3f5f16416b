"""A trace laid out as text: boxes in layers from left to right, joined by box-drawing edges.

The layout is computed once per trace and holds no numbers that change while
stepping: it fixes where each node's box stands (wide enough for the node's
final value and gradient) and which cells every edge passes through. The graph
view fills the boxes in as the stepper reveals values.

Layers are the trace's topological generations, with one change: a constant
stands just before its first consumer rather than in the first column, so
``2 * x`` deep in a formula does not pull a line across the whole picture.
An edge that skips layers runs through one "pass-through" row per layer it
crosses (shared by all edges from the same source), as in a Sugiyama layout;
the order within each layer is improved by a few barycenter sweeps. Between
two layers each source whose edges change row gets a vertical track (sources
whose spans are apart share one), and no box is placed with an input port on
the row where another source's line leaves the previous layer: lines of
different sources may cross, but never run together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from graphlab.rounding import RoundingPolicy
from graphlab.trace import Trace, TraceNode

NODE_HEIGHT = 4  # top border, value row, gradient row, bottom border
ITEM_GAP = 1  # blank rows between two items of a layer
SWEEPS = 4  # barycenter passes (down and up) over the layers
ARROW = "▶"

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
_GLYPHS = {
    LEFT | RIGHT: "─", LEFT: "─", RIGHT: "─", UP | DOWN: "│", UP: "│", DOWN: "│",
    DOWN | RIGHT: "╭", DOWN | LEFT: "╮", UP | RIGHT: "╰", UP | LEFT: "╯",
    UP | DOWN | RIGHT: "├", UP | DOWN | LEFT: "┤", DOWN | LEFT | RIGHT: "┬",
    UP | LEFT | RIGHT: "┴", UP | DOWN | LEFT | RIGHT: "┼",
}


@dataclass
class Box:
    """Where one node's box stands; its ports are the rows edges enter and leave by."""

    node: int
    layer: int
    x: int
    y: int
    width: int

    @property
    def right(self) -> int:
        """The first column after the box."""
        return self.x + self.width

    def in_port(self, index: int) -> int:
        return self.y + 1 + min(index, 1)

    @property
    def out_port(self) -> int:
        return self.y + 1


@dataclass
class Layout:
    """The static picture: box positions, line glyphs per row, and each edge's cells."""

    boxes: dict[int, Box]
    layers: list[list[int]]  # real nodes only, top to bottom
    width: int
    height: int
    lines: list[str]  # edge glyphs and box borders, one string per row
    edge_cells: dict[tuple[int, int], dict[int, list[int]]]  # (dst, input index) → row → columns
    row_boxes: dict[int, list[Box]] = field(default_factory=dict)  # row → boxes crossing it


def box_inner_width(node: TraceNode, policy: RoundingPolicy) -> int:
    """Room inside a box for its symbol and ``v <value>``, ``g <gradient>`` (and an answer's ✓)."""
    numbers = [policy.format(node.value), policy.format(node.grad)]
    return max(len(node.symbol) + 3, *(3 + len(n) for n in numbers), 7)


def assign_layers(trace: Trace) -> dict[int, int]:
    """Each node's layer: its depth, with constants moved next to their first consumer."""
    depth: dict[int, int] = {}
    for node in trace.nodes:  # creation order is topological
        variable = [depth[i] for i in node.inputs if trace.nodes[i].kind != "const"]
        depth[node.id] = 1 + max(variable, default=0 if node.inputs else -1)
    first_use: dict[int, int] = {}
    for node in trace.nodes:
        for i in node.inputs:
            first_use[i] = min(first_use.get(i, depth[node.id]), depth[node.id])
    for node in trace.nodes:
        if node.kind == "const" and node.id in first_use:
            depth[node.id] = first_use[node.id] - 1
    return depth


def compute_layout(trace: Trace) -> Layout:
    """Lay ``trace`` out; linear in the size of the graph, apart from sorting in the sweeps."""
    layer_of = assign_layers(trace)
    count = max(layer_of.values()) + 1
    # Items per layer: ("n", id) a node's box, ("p", src, layer) a pass-through row of src's edges.
    items: list[list[tuple]] = [[] for _ in range(count)]
    reach: dict[int, int] = {}  # src → the last layer its edges reach
    for node in trace.nodes:
        items[layer_of[node.id]].append(("n", node.id))
        for src in node.inputs:
            reach[src] = max(reach.get(src, 0), layer_of[node.id])
    for src, last in reach.items():
        for layer in range(layer_of[src] + 1, last):
            items[layer].append(("p", src, layer))

    preds = _item_predecessors(trace, layer_of, items)
    _order_layers(items, preds)

    widths = [0] * count
    for node in trace.nodes:
        widths[layer_of[node.id]] = max(widths[layer_of[node.id]], box_inner_width(node, trace.policy) + 2)
    widths = [w or 1 for w in widths]

    out_row: dict[tuple, int] = {}
    top: dict[tuple, int] = {}
    for k, layer_items in enumerate(items):
        floor = 0
        leaving = {out_row[s]: s for s in items[k - 1]} if k else {}
        for item in layer_items:
            sources = preds[item]
            if sources:
                wanted = sum(out_row[s] for s in sources) / len(sources)
                wanted = round(wanted) - (1 if item[0] == "n" else 0)
            else:
                wanted = 0
            y = max(wanted, floor)
            while _port_clash(trace, layer_of, item, k, y, leaving):
                y += 1
            top[item] = y
            out_row[item] = y + 1 if item[0] == "n" else y
            floor = y + (NODE_HEIGHT if item[0] == "n" else 1) + ITEM_GAP

    # Columns: each gap holds a lead-in column, one track per source, a lead-out and the arrow.
    gaps = [_gap_tracks(trace, layer_of, items, k, out_row, top) for k in range(count - 1)]
    xs = [0] * count
    for k in range(1, count):
        xs[k] = xs[k - 1] + widths[k - 1] + max(gaps[k - 1].values(), default=-1) + 4
    width = xs[-1] + widths[-1]
    height = max((top[i] + (NODE_HEIGHT if i[0] == "n" else 1) for layer in items for i in layer), default=0)

    boxes = {item[1]: Box(item[1], k, xs[k], top[item], box_inner_width(trace.nodes[item[1]], trace.policy) + 2)
             for k, layer in enumerate(items) for item in layer if item[0] == "n"}
    canvas = _Canvas(width, height)
    edge_cells = _route_edges(trace, layer_of, items, xs, widths, gaps, out_row, top, boxes, canvas)
    for box in boxes.values():
        canvas.box(box, trace.nodes[box.node].symbol)

    row_boxes: dict[int, list[Box]] = {}
    for box in sorted(boxes.values(), key=lambda b: b.x):
        for row in range(box.y, box.y + NODE_HEIGHT):
            row_boxes.setdefault(row, []).append(box)
    layers = [[i[1] for i in layer if i[0] == "n"] for layer in items]
    return Layout(boxes, layers, width, height, canvas.lines(), edge_cells, row_boxes)


def _port_clash(trace, layer_of, item, k: int, y: int, leaving: dict[int, tuple]) -> bool:
    """Whether placing ``item`` at row ``y`` puts one of its ports on the row where another
    source's line leaves the previous layer: the two lines would share that row in the gap."""
    if item[0] == "p":
        ports = [(_source_item(layer_of, item[1], k), y)]
    else:
        ports = [(_source_item(layer_of, src, k), y + 1 + min(i, 1))
                 for i, src in enumerate(trace.nodes[item[1]].inputs)]
    return any(leaving.get(row, source) != source for source, row in ports)


def _source_item(layer_of, src: int, k: int) -> tuple:
    """The item a line from node ``src`` comes out of, in layer ``k - 1``."""
    return ("n", src) if layer_of[src] == k - 1 else ("p", src, k - 1)


def _item_predecessors(trace, layer_of, items):
    """For each item, the items in the previous layer its incoming lines come from."""
    preds: dict[tuple, list[tuple]] = {}
    for k, layer in enumerate(items):
        for item in layer:
            sources = [item[1]] if item[0] == "p" else trace.nodes[item[1]].inputs
            preds[item] = list(dict.fromkeys(_source_item(layer_of, src, k) for src in sources))
    return preds


def _order_layers(items, preds) -> None:
    """Barycenter sweeps: each item moves towards the mean position of its neighbours."""
    succs: dict[tuple, list[tuple]] = {item: [] for layer in items for item in layer}
    for item, sources in preds.items():
        for s in sources:
            succs[s].append(item)
    for sweep in range(SWEEPS):
        down = sweep % 2 == 0
        order = range(1, len(items)) if down else range(len(items) - 2, -1, -1)
        for k in order:
            neighbour_layer = items[k - 1] if down else items[k + 1]
            position = {item: i for i, item in enumerate(neighbour_layer)}
            links = preds if down else succs

            def centre(indexed, position=position, links=links):
                i, item = indexed
                near = [position[n] for n in links[item] if n in position]
                return (sum(near) / len(near), i) if near else (i, i)

            items[k] = [item for _, item in sorted(enumerate(items[k]), key=centre)]


def _gap_tracks(trace, layer_of, items, k, out_row, top):
    """Vertical tracks in the gap after layer ``k``: source item → track number.

    A source's line enters the gap at its row and runs to its track; from the
    track, one line per target row runs on to the arrows. When source ``s``
    leaves on a row where source ``u`` arrives, ``s`` must turn before ``u``'s
    track (``track[s] < track[u]``), or the two lines would run together. Tracks
    are handed out in an order that respects this, and sources whose vertical
    spans are apart share a track.
    """
    targets: dict[tuple, set[int]] = {}
    for item in items[k + 1]:
        for src_item, row in _incoming(trace, layer_of, item, k + 1, top):
            if out_row[src_item] != row:
                targets.setdefault(src_item, set()).add(row)
    spans = {s: (min(rows | {out_row[s]}), max(rows | {out_row[s]})) for s, rows in targets.items()}
    before = {u: [s for s in targets if s != u and out_row[s] in targets[u]] for u in targets}
    order = _respecting(sorted(targets, key=lambda s: spans[s]), before)
    tracks: dict[tuple, int] = {}
    used: list[list[tuple[int, int]]] = []  # (lo, hi) spans on each track
    for s in order:
        lo, hi = spans[s]
        track = 1 + max((tracks[p] for p in before[s] if p in tracks), default=-1)
        while track < len(used) and any(not (b < lo - 1 or a > hi + 1) for a, b in used[track]):
            track += 1
        if track == len(used):
            used.append([])
        used[track].append((lo, hi))
        tracks[s] = track
    return tracks


def _respecting(items: list, before: dict) -> list:
    """``items`` reordered so each comes after those listed in ``before`` (a cycle keeps the given order)."""
    placed: list = []
    done: set = set()
    waiting = list(items)
    while waiting:
        ready = next((i for i in waiting if all(p in done for p in before[i])), waiting[0])
        waiting.remove(ready)
        placed.append(ready)
        done.add(ready)
    return placed


def _incoming(trace, layer_of, item, k, top):
    """(source item, row) for each line entering ``item`` in layer ``k``, per input port."""
    if item[0] == "p":
        return [(_source_item(layer_of, item[1], k), top[item])]
    return [(_source_item(layer_of, src, k), top[item] + 1 + min(index, 1))
            for index, src in enumerate(trace.nodes[item[1]].inputs)]


def _route_edges(trace, layer_of, items, xs, widths, gaps, out_row, top, boxes, canvas):
    """Draw every edge and record its cells: out of the source, through pass rows, into its port."""
    edge_cells: dict[tuple[int, int], dict[int, list[int]]] = {}

    def leave(src_item, k):
        """The column where a line from ``src_item`` (in layer k) enters the gap after layer k."""
        start = boxes[src_item[1]].right if src_item[0] == "n" else xs[k]
        row = out_row[src_item]
        return start, row

    def segment_cells(src_item, k, row_in, into_pass):
        """Cells from ``src_item`` in layer ``k`` to ``row_in`` at layer k+1 (an arrow cell, or a pass row)."""
        start, row = leave(src_item, k)
        gap_x = xs[k] + widths[k]
        arrow_x = xs[k + 1] if into_pass else xs[k + 1] - 1
        cells = [(row, x) for x in range(start, gap_x + 1)]
        if row == row_in:
            cells += [(row, x) for x in range(gap_x + 1, arrow_x)]
        else:
            track_x = gap_x + 1 + gaps[k][src_item]
            cells += [(row, x) for x in range(gap_x + 1, track_x + 1)]
            step = 1 if row_in > row else -1
            cells += [(y, track_x) for y in range(row + step, row_in + step, step)]
            cells += [(row_in, x) for x in range(track_x + 1, arrow_x)]
        return cells

    for node in trace.nodes:
        k_dst = layer_of[node.id]
        for index, src in enumerate(node.inputs):
            path: list[tuple[int, int]] = []
            k_src = layer_of[src]
            src_item = ("n", src)
            for k in range(k_src, k_dst - 1):  # through the pass rows
                nxt = ("p", src, k + 1)
                path += segment_cells(src_item, k, top[nxt], True)
                src_item = nxt
            row_in = boxes[node.id].in_port(index)
            path += segment_cells(src_item, k_dst - 1, row_in, False)
            canvas.path(path)
            arrow = (row_in, xs[k_dst] - 1)
            canvas.put(*arrow, ARROW)
            cells: dict[int, list[int]] = {}
            for y, x in [*path, arrow]:
                cells.setdefault(y, []).append(x)
            edge_cells[(node.id, index)] = cells
    return edge_cells


class _Canvas:
    """Line bits per cell, joined into box-drawing glyphs; boxes and arrows drawn over them."""

    def __init__(self, width: int, height: int) -> None:
        self.bits = [[0] * width for _ in range(height)]
        self.text: dict[tuple[int, int], str] = {}

    def path(self, cells: list[tuple[int, int]]) -> None:
        for (y0, x0), (y1, x1) in pairwise(cells):
            if y0 == y1:
                a, b = (x0, x1) if x0 < x1 else (x1, x0)
                self.bits[y0][a] |= RIGHT
                self.bits[y0][b] |= LEFT
            else:
                a, b = (y0, y1) if y0 < y1 else (y1, y0)
                self.bits[a][x0] |= DOWN
                self.bits[b][x0] |= UP
        if len(cells) == 1:
            y, x = cells[0]
            self.bits[y][x] |= LEFT | RIGHT

    def put(self, y: int, x: int, char: str) -> None:
        self.text[(y, x)] = char

    def box(self, box: Box, symbol: str) -> None:
        inner = box.width - 2
        title = f"─ {symbol} "
        rows = [
            "╭" + (title + "─" * inner)[:inner] + "╮",
            "│" + " " * inner + "│",
            "│" + " " * inner + "│",
            "╰" + "─" * inner + "╯",
        ]
        for dy, row in enumerate(rows):
            for dx, char in enumerate(row):
                self.text[(box.y + dy, box.x + dx)] = char

    def lines(self) -> list[str]:
        rows = []
        for y, bits_row in enumerate(self.bits):
            chars = [_GLYPHS.get(b, " ") for b in bits_row]
            rows.append(chars)
        for (y, x), char in self.text.items():
            rows[y][x] = char
        return ["".join(r) for r in rows]
