"""A trace laid out as text: boxes in layers from left to right, joined by box-drawing edges.

The layered layout (``graphlab.render.layered``: layers, waypoints, order within
a layer) is shared with the other pictures; this module maps it to character
cells. Constants float: each stands just before its first consumer, so
``2 * x`` deep in a formula does not pull a line across the whole picture. A
waypoint becomes a one-row "pass-through" of its source's line.

The layout is computed once per trace and holds no numbers that change while
stepping: it fixes where each node's box stands (wide enough for the node's
final value and gradient, see ``box``) and where every edge runs. Each item
of a layer is placed at the mean row of what feeds it, below the item before
it, and never with an input port on the row where another source's line
leaves the previous layer. Between two layers each source whose edges change
row gets a vertical track (sources whose spans are apart share one): lines of
different sources may cross, but never run together.

Nothing is drawn into a full grid: the picture is kept as runs of line per
row and drawn a visible window at a time, so a graph of 100,000 nodes lays
out in seconds and scrolls as fast as a small one.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from dataclasses import dataclass, field

from graphlab.render.layered import LayeredLayout, collector_paused, layered_layout
from graphlab.trace import NodeKind, Trace
from graphlab.tui import box as geometry
from graphlab.tui.box import Box
from graphlab.tui.glyphs import DOWN, GLYPHS, LEFT, RIGHT, UP

ITEM_GAP = 1
"""Blank rows between two items of a layer."""
ARROW = "▶"
GAP_COLUMNS = 4
"""Columns of a gap besides its tracks: the lead-out of the layer, the lead-in, the arrow and one to turn."""

Run = tuple[str, int, int, int]
"""A straight piece of line: ``("h", row, x0, x1)`` or ``("v", column, y0, y1)``, ends included."""


class Lines:
    """Straight lines along one axis: per row (or per column), intervals merged where they share a cell.

    A window of a row is a bisect away, so drawing never needs the whole grid.
    """

    def __init__(self) -> None:
        self._pending: dict[int, list[tuple[int, int]]] = {}
        self._lines: dict[int, tuple[list[int], list[int]]] = {}
        self._keys: list[int] = []

    def add(self, key: int, start: int, end: int) -> None:
        self._pending.setdefault(key, []).append((start, end))

    def freeze(self) -> Lines:
        """Merge what was added; call once, before reading."""
        for key, spans in self._pending.items():
            spans.sort()
            starts, ends = [spans[0][0]], [spans[0][1]]
            for start, end in spans[1:]:
                if start <= ends[-1]:
                    ends[-1] = max(ends[-1], end)
                else:
                    starts.append(start)
                    ends.append(end)
            self._lines[key] = (starts, ends)
        self._pending = {}
        self._keys = sorted(self._lines)
        return self

    def within(self, key: int, low: int, high: int) -> list[tuple[int, int]]:
        """The intervals of line ``key`` that reach into ``low ≤ i < high``."""
        found = self._lines.get(key)
        if found is None:
            return []
        starts, ends = found
        spans = []
        for i in range(bisect_left(ends, low), len(starts)):
            if starts[i] >= high:
                break
            spans.append((starts[i], ends[i]))
        return spans

    def keys_within(self, low: int, high: int) -> list[int]:
        """The keys ``low ≤ key < high`` that hold a line."""
        return self._keys[bisect_left(self._keys, low):bisect_left(self._keys, high)]


@dataclass(eq=False, repr=False)
class Layout:
    """The static picture: where each box stands, and where each edge runs."""

    trace: Trace
    plan: LayeredLayout
    boxes: dict[int, Box]
    layers: list[list[int]]
    """Node ids per layer, top to bottom (without pass-through rows)."""
    width: int
    height: int
    xs: list[int]  # first column of each layer
    widths: list[int]  # columns of each layer
    tracks: list[dict[int, int]]  # per gap: source slot → its track
    top: list[int]  # slot → its first row
    out_row: list[int]  # slot → the row its lines leave by
    _across: Lines = field(default_factory=Lines)  # horizontal lines, per row
    _down: Lines = field(default_factory=Lines)  # vertical lines, per column
    _arrows: dict[int, list[int]] = field(default_factory=dict)  # row → arrow columns, sorted
    _row_boxes: dict[int, tuple[list[int], list[Box]]] = field(default_factory=dict)  # row → rights, boxes
    _consumers: list[list[tuple[int, int]]] | None = None  # node → its edges out, built when first asked

    # -- reading -------------------------------------------------------------------

    def boxes_in(self, row: int, left: int, right: int) -> list[Box]:
        """The boxes crossing ``row`` that reach into columns ``left ≤ x < right``, left to right."""
        found = self._row_boxes.get(row)
        if found is None:
            return []
        rights, boxes = found
        hits = []
        for i in range(bisect_left(rights, left + 1), len(boxes)):
            if boxes[i].x >= right:
                break
            hits.append(boxes[i])
        return hits

    def box_at(self, x: int, y: int) -> Box | None:
        """The box covering cell (x, y), if any."""
        return next(iter(self.boxes_in(y, x, x + 1)), None)

    def row_text(self, row: int, left: int, width: int) -> str:
        """Columns ``left`` to ``left + width`` of ``row``: lines, arrows and box borders, blank elsewhere."""
        right = left + width
        bits = [0] * width
        for x0, x1 in self._across.within(row, left, right):
            if x0 == x1:
                bits[x0 - left] |= LEFT | RIGHT
                continue
            first, last = max(x0, left), min(x1, right - 1)
            for x in range(first, last + 1):
                bits[x - left] |= LEFT | RIGHT
            if first == x0:
                bits[x0 - left] &= ~LEFT
            if last == x1:
                bits[x1 - left] &= ~RIGHT
        for x in self._down.keys_within(left, right):
            for y0, y1 in self._down.within(x, row, row + 1):
                bits[x - left] |= (UP if y0 < row else 0) | (DOWN if row < y1 else 0)
        chars = [GLYPHS.get(b, " ") for b in bits]
        arrows = self._arrows.get(row, ())
        for i in range(bisect_left(arrows, left), len(arrows)):
            if arrows[i] >= right:
                break
            chars[arrows[i] - left] = ARROW
        nodes = self.trace.nodes
        for box in self.boxes_in(row, left, right):
            text = box.border(row - box.y, nodes[box.node].symbol)
            for dx in range(max(0, left - box.x), min(box.width, right - box.x)):
                chars[box.x + dx - left] = text[dx]
        return "".join(chars)

    def line(self, row: int) -> str:
        """The whole of ``row``."""
        return self.row_text(row, 0, self.width)

    # -- edges ---------------------------------------------------------------------

    def outgoing(self, node: int) -> list[tuple[int, int]]:
        """The edges out of ``node``, each as (consumer, input index)."""
        if self._consumers is None:
            self._consumers = [[] for _ in self.trace.nodes]
            for consumer in self.trace.nodes:
                for index, source in enumerate(consumer.inputs):
                    self._consumers[source].append((consumer.id, index))
        return self._consumers[node]

    def edge_runs(self, dst: int, index: int) -> list[Run]:
        """The pieces of line of edge ``index`` into node ``dst``, from its source to its arrow."""
        source = self.trace.nodes[dst].inputs[index]
        runs: list[Run] = []
        for waypoint in self.plan.route(source, dst):
            k = self.plan.layer_of[waypoint] - 1
            runs += self._segment(self.plan.carrier(source, k), k, waypoint, True)
        runs += self._last_segment(dst, index)
        return runs

    def edge_cells(self, dst: int, index: int) -> dict[int, list[int]]:
        """Row → the columns edge ``index`` into ``dst`` takes, its arrow included."""
        return _cells(self.edge_runs(dst, index))

    def highlight(self, edges: list[tuple[int, int]]) -> Highlight:
        """The cells of ``edges`` (each ``(dst, input index)``), for drawing them in another colour.

        Edges out of one source share their way through the pass-through rows;
        each shared piece is taken once, so highlighting every edge of a node
        costs the length of its lines, not that times the number of edges.
        """
        highlight = Highlight()
        done: set[int] = set()
        for dst, index in edges:
            runs = self._last_segment(dst, index)
            source = self.trace.nodes[dst].inputs[index]
            for k in range(self.plan.layer_of[dst] - 1, self.plan.layer_of[source], -1):
                waypoint = self.plan.carrier(source, k)
                if waypoint in done:
                    break
                done.add(waypoint)
                runs += self._segment(self.plan.carrier(source, k - 1), k - 1, waypoint, True)
            for kind, a, b, c in runs:
                (highlight.across if kind == "h" else highlight.down).add(a, b, c)
        highlight.across.freeze()
        highlight.down.freeze()
        return highlight

    def _last_segment(self, dst: int, index: int) -> list[Run]:
        """The line from the layer before ``dst`` into its port ``index``, and the arrow."""
        k = self.plan.layer_of[dst]
        source = self.trace.nodes[dst].inputs[index]
        port, arrow = self.boxes[dst].in_port(index), self.xs[k] - 1
        return self._segment(self.plan.carrier(source, k - 1), k - 1, port, False) + [("h", port, arrow, arrow)]

    def _segment(self, slot: int, k: int, into: int, waypoint: bool) -> list[Run]:
        """The line from ``slot`` in layer ``k`` across the gap: into the waypoint ``into`` (running
        on into it), or to row ``into`` just before an arrow."""
        start = self.boxes[slot].right if self.plan.is_node(slot) else self.xs[k]
        row = self.out_row[slot]
        if waypoint:
            row_in, end = self.top[into], self.xs[k + 1]
        else:
            row_in, end = into, self.xs[k + 1] - 2
        if row == row_in:
            return [("h", row, start, end)]
        turn = self.xs[k] + self.widths[k] + 1 + self.tracks[k][slot]
        return [("h", row, start, turn), ("v", turn, min(row, row_in), max(row, row_in)), ("h", row_in, turn, end)]


@dataclass
class Highlight:
    """Cells to draw in another colour: lines across, per row, and down, per column."""

    across: Lines = field(default_factory=Lines)
    down: Lines = field(default_factory=Lines)

    def columns(self, row: int, left: int, right: int) -> list[int]:
        """The highlighted columns ``left ≤ x < right`` of ``row``."""
        found = [x for x0, x1 in self.across.within(row, left, right) for x in range(max(x0, left), min(x1 + 1, right))]
        found += [x for x in self.down.keys_within(left, right) if self.down.within(x, row, row + 1)]
        return found


def compute_layout(trace: Trace) -> Layout:
    """Lay ``trace`` out; linear in the size of the drawing, apart from sorting."""
    with collector_paused():
        return _compute_layout(trace)


def _compute_layout(trace: Trace) -> Layout:
    plan = layered_layout(trace, floating={n.id for n in trace.nodes if n.kind == NodeKind.CONST})
    items = plan.layers
    count = len(items)
    fmt = trace.policy.format
    inner = [geometry.inner_width(n.symbol, (fmt(n.value), fmt(n.grad))) for n in trace.nodes]
    widths = [1] * count
    for node in trace.nodes:
        k = plan.layer_of[node.id]
        widths[k] = max(widths[k], inner[node.id] + 2)

    out_row = [0] * len(plan.layer_of)
    top = [0] * len(plan.layer_of)
    tracks: list[dict[int, int]] = []
    nodes, carrier = trace.nodes, plan.carrier
    for k, layer_items in enumerate(items):
        floor = 0
        leaving = {out_row[s]: s for s in items[k - 1]} if k else {}
        targets: dict[int, set[int]] = {}  # source slot → the rows its lines enter this layer by
        for item in layer_items:
            if item < plan.nodes:
                ports = [(carrier(source, k - 1), geometry.VALUE_ROW if i == 0 else geometry.GRAD_ROW)
                         for i, source in enumerate(nodes[item].inputs)]
                out, height = geometry.VALUE_ROW, geometry.HEIGHT
            else:
                ports = [(carrier(plan.source[item], k - 1), 0)]
                out, height = 0, 1
            sources = plan.feeders(item)
            wanted = round(sum(out_row[s] for s in sources) / len(sources)) - out if sources else 0
            y = max(wanted, floor)
            while any(leaving.get(y + dy, source) != source for source, dy in ports):
                y += 1  # a port on the row where another source's line leaves: they would run together
            top[item], out_row[item] = y, y + out
            floor = y + height + ITEM_GAP
            for source, dy in ports:
                if out_row[source] != y + dy:
                    targets.setdefault(source, set()).add(y + dy)
        if k:
            tracks.append(_gap_tracks(targets, out_row))

    xs = [0] * count
    for k in range(1, count):
        xs[k] = xs[k - 1] + widths[k - 1] + max(tracks[k - 1].values(), default=-1) + GAP_COLUMNS
    width = xs[-1] + widths[-1] if count else 0
    height = max((top[i] + (geometry.HEIGHT if plan.is_node(i) else 1) for layer in items for i in layer), default=0)

    boxes = {node.id: Box(node.id, plan.layer_of[node.id], xs[plan.layer_of[node.id]], top[node.id],
                          inner[node.id] + 2) for node in trace.nodes}
    layout = Layout(trace, plan, boxes, [plan.nodes_of(k) for k in range(count)], width, height,
                    xs, widths, tracks, top, out_row)
    _draw(layout)
    return layout


def _draw(layout: Layout) -> None:
    """Every line once: each source's way through its pass-through rows, then each edge's last stretch."""
    plan = layout.plan
    arrows: dict[int, list[int]] = {}
    runs: list[Run] = []
    for source, last in plan.reach.items():
        for k in range(plan.layer_of[source] + 1, last):
            runs += layout._segment(plan.carrier(source, k - 1), k - 1, plan.carrier(source, k), True)
    for node in layout.trace.nodes:
        k = plan.layer_of[node.id]
        for index, source in enumerate(node.inputs):
            port = layout.boxes[node.id].in_port(index)
            runs += layout._segment(plan.carrier(source, k - 1), k - 1, port, False)
            arrows.setdefault(port, []).append(layout.xs[k] - 1)
    for kind, a, b, c in runs:
        (layout._across if kind == "h" else layout._down).add(a, b, c)
    layout._across.freeze()
    layout._down.freeze()
    layout._arrows = {row: sorted(set(columns)) for row, columns in arrows.items()}
    by_row: dict[int, list[Box]] = {}
    for box in layout.boxes.values():
        for row in range(box.y, box.y + geometry.HEIGHT):
            by_row.setdefault(row, []).append(box)
    for row, boxes in by_row.items():
        boxes.sort(key=lambda b: b.x)
        layout._row_boxes[row] = ([b.right for b in boxes], boxes)


def _cells(runs: list[Run]) -> dict[int, list[int]]:
    cells: dict[int, set[int]] = {}
    for kind, a, b, c in runs:
        if kind == "h":
            cells.setdefault(a, set()).update(range(b, c + 1))
        else:
            for y in range(b, c + 1):
                cells.setdefault(y, set()).add(a)
    return {row: sorted(columns) for row, columns in cells.items()}


def _gap_tracks(targets: dict[int, set[int]], out_row: list[int]) -> dict[int, int]:
    """Vertical tracks in a gap between two layers: source slot → track number.

    ``targets`` holds, for each source whose lines change row in the gap, the
    rows they run on to. A source's line enters the gap at its row and runs to
    its track; from the track, one line per target row runs on to the arrows.
    When source ``s`` leaves on a row where source ``u`` arrives, ``s`` must
    turn before ``u``'s track (``track[s] < track[u]``), or the two lines would
    run together. Tracks are handed out in an order that respects this, and
    sources whose vertical spans are apart share a track.
    """
    if len(targets) < 2:
        return dict.fromkeys(targets, 0)
    spans = {s: (min(min(rows), out_row[s]), max(max(rows), out_row[s])) for s, rows in targets.items()}
    leaving = {out_row[s]: s for s in targets}
    before = {u: [leaving[row] for row in rows if row in leaving and leaving[row] != u]
              for u, rows in targets.items()}
    tracks: dict[int, int] = {}
    used: list[tuple[list[int], list[int]]] = []  # per track: starts and ends of its spans, in order
    for s in _respecting(sorted(targets, key=spans.__getitem__), before):
        lo, hi = spans[s]
        track = 1 + max((tracks[p] for p in before[s] if p in tracks), default=-1)
        while track < len(used) and _overlaps(used[track], lo - 1, hi + 1):
            track += 1
        if track == len(used):
            used.append(([], []))
        starts, ends = used[track]
        insort(starts, lo)
        insort(ends, hi)
        tracks[s] = track
    return tracks


def _overlaps(spans: tuple[list[int], list[int]], lo: int, hi: int) -> bool:
    """Whether one of a track's spans (disjoint, so in order by start and by end) meets ``lo..hi``."""
    starts, ends = spans
    i = bisect_left(ends, lo)
    return i < len(starts) and starts[i] <= hi


def _respecting(items: list, before: dict) -> list:
    """``items`` reordered so each comes after those listed in ``before``, otherwise as given
    (on a cycle, the first item left goes next)."""
    index = {item: i for i, item in enumerate(items)}
    waiting = {item: len(set(before[item])) for item in items}
    after: dict = {}
    for item in items:
        for p in set(before[item]):
            after.setdefault(p, []).append(item)
    ready = [index[item] for item in items if not waiting[item]]
    heapq.heapify(ready)
    placed: list = []
    done: set = set()
    next_left = 0
    while len(placed) < len(items):
        if ready:
            item = items[heapq.heappop(ready)]
            if item in done:
                continue
        else:
            while items[next_left] in done:
                next_left += 1
            item = items[next_left]
        placed.append(item)
        done.add(item)
        for follower in after.get(item, ()):
            waiting[follower] -= 1
            if not waiting[follower] and follower not in done:
                heapq.heappush(ready, index[follower])
    return placed
