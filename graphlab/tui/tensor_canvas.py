"""A tensor trace's boxes drawn in character cells, top to bottom as the tensor diagrams read.

The shared layered layout (``graphlab.render.layered``) gives each box its layer
(a row of boxes) and its place within the layer (a column); an edge that skips
layers runs down through a waypoint in each layer between. Each box is
``BOX_WIDTH`` columns by ``BOX_HEIGHT`` rows; between two rows of boxes, a line
leaves each source downwards, turns along a channel row, and enters its
consumer from above with ``▼``. Lines of several edges merge where they share
a cell (``┬``, ``┼``), as on a circuit diagram. A network is tens of boxes, so
the picture is drawn whole.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from rich.text import Text

from graphlab.render.layered import layered_layout
from graphlab.trace import NodeKind
from graphlab.tui.glyphs import DOWN, GLYPHS, LEFT, RIGHT, UP
from graphlab.tui.tensor_boxes import BoxGraph, TensorBox, shape_text, short_where, statistics

BOX_WIDTH = 30
BOX_HEIGHT = 6
COLUMN_GAP = 3
ROW_GAP = 3
"""Rows between two rows of boxes: the lines leaving, the channel where they turn, the arrows entering."""


@dataclass(frozen=True)
class Placed:
    """Where a box stands: its top-left cell."""

    box: TensorBox
    x: int
    y: int

    def contains(self, x: int, y: int) -> bool:
        return self.x <= x < self.x + BOX_WIDTH and self.y <= y < self.y + BOX_HEIGHT


class Canvas:
    """The drawing of a ``BoxGraph``: boxes placed in cells and the lines between them."""

    def __init__(self, graph: BoxGraph) -> None:
        self.graph = graph
        # Parameters and data stand just before their first use, not all in the first row.
        layout = layered_layout(graph, floating={b.id for b in graph.nodes if not b.layer and b.node.kind != NodeKind.OP})
        self.layout = layout
        self.placed = [Placed(box, self._x(layout.position[box.id]), self._y(layout.layer_of[box.id]))
                       for box in graph.nodes]
        layers = len(layout.layers)
        self.width = max(len(layer) for layer in layout.layers) * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP
        self.height = layers * (BOX_HEIGHT + ROW_GAP) - ROW_GAP
        self._lines: dict[tuple[int, int], int] = {}
        self._arrows: set[tuple[int, int]] = set()
        for box in graph.nodes:
            for source in box.inputs:
                self._route(source, box.id)

    @staticmethod
    def _x(position: int) -> int:
        return position * (BOX_WIDTH + COLUMN_GAP)

    @staticmethod
    def _y(layer: int) -> int:
        return layer * (BOX_HEIGHT + ROW_GAP)

    def box_at(self, x: int, y: int) -> TensorBox | None:
        return next((p.box for p in self.placed if p.contains(x, y)), None)

    def place_of(self, box_id: int) -> Placed:
        return self.placed[box_id]

    # -- lines -------------------------------------------------------------------------------

    def _route(self, source: int, target: int) -> None:
        layout = self.layout
        slots = [source, *layout.route(source, target), target]
        for a, b in itertools.pairwise(slots):
            xa = self._x(layout.position[a]) + BOX_WIDTH // 2
            xb = self._x(layout.position[b]) + BOX_WIDTH // 2
            below = self._y(layout.layer_of[a]) + BOX_HEIGHT  # the first row under a's layer
            channel = below + 1
            self._vertical(xa, below, channel)
            self._horizontal(channel, xa, xb)
            if layout.is_node(b):
                self._vertical(xb, channel, channel + 1)
                self._arrows.add((xb, channel + 1))
            else:  # a waypoint: straight down through its layer
                self._vertical(xb, channel, self._y(layout.layer_of[b]) + BOX_HEIGHT)

    def _mark(self, x: int, y: int, bits: int) -> None:
        self._lines[(x, y)] = self._lines.get((x, y), 0) | bits

    def _vertical(self, x: int, y0: int, y1: int) -> None:
        for y in range(y0, y1 + 1):
            self._mark(x, y, (UP if y > y0 else 0) | (DOWN if y < y1 else 0))

    def _horizontal(self, y: int, x0: int, x1: int) -> None:
        low, high = min(x0, x1), max(x0, x1)
        for x in range(low, high + 1):
            self._mark(x, y, (LEFT if x > low else 0) | (RIGHT if x < high else 0))

    # -- drawing -----------------------------------------------------------------------------

    def render(self, selected: int | None = None) -> Text:
        """The whole picture as styled text; the selected box is drawn in the accent colour."""
        rows = [[" "] * self.width for _ in range(self.height)]
        styles: list[tuple[int, int, int, str]] = []  # row, start, end, style
        for (x, y), bits in self._lines.items():
            if 0 <= y < self.height and 0 <= x < self.width:
                rows[y][x] = GLYPHS.get(bits, "│") if bits else "│"
                styles.append((y, x, x + 1, "grey50"))
        for x, y in self._arrows:
            rows[y][x] = "▼"
        for placed in self.placed:
            self._draw_box(rows, styles, placed, placed.box.id == selected)
        text = Text()
        offsets = []
        for row in rows:
            offsets.append(len(text))
            text.append("".join(row) + "\n")
        for y, start, end, style in styles:
            text.stylize(style, offsets[y] + start, offsets[y] + end)
        return text

    def _draw_box(self, rows: list[list[str]], styles: list, placed: Placed, selected: bool) -> None:
        box, x, y = placed.box, placed.x, placed.y
        inner = BOX_WIDTH - 2
        border = "bold yellow" if selected else ("bold red" if box.anomaly else "blue")
        title = f" {box_title(box)} "[:inner - 2]
        top = "╭─" + title + "─" * (inner - 1 - len(title)) + "╮"
        lines = box_lines(self.graph, box)
        body = [(text[:inner - 2].ljust(inner - 2), style) for text, style in lines][:BOX_HEIGHT - 2]
        body += [("".ljust(inner - 2), "")] * (BOX_HEIGHT - 2 - len(body))
        self._put(rows, styles, x, y, top, border)
        styles.append((y, x + 2, x + 2 + len(title), "bold"))
        for i, (content, style) in enumerate(body, start=1):
            self._put(rows, styles, x, y + i, "│", border)
            self._put(rows, styles, x + 1, y + i, f" {content} ", style)
            self._put(rows, styles, x + BOX_WIDTH - 1, y + i, "│", border)
        self._put(rows, styles, x, y + BOX_HEIGHT - 1, "╰" + "─" * inner + "╯", border)

    @staticmethod
    def _put(rows: list[list[str]], styles: list, x: int, y: int, text: str, style: str) -> None:
        rows[y][x:x + len(text)] = list(text)
        if style:
            styles.append((y, x, x + len(text), style))


def box_title(box: TensorBox) -> str:
    """A collapsed layer by the last part of its scope (``▸ 1:Linear``); an op by its symbol, a leaf by its name."""
    warning = "⚠ " if box.anomaly else ""
    if box.layer:
        return f"{warning}▸ {box.title.rpartition('.')[2]}"
    return warning + box.title


def box_lines(graph: BoxGraph, box: TensorBox) -> list[tuple[str, str]]:
    """The four lines inside a box: what it is, its output's shape, value and gradient statistics."""
    node = box.node
    if box.layer:
        ops = [graph.trace.nodes[m].label for m in box.members if graph.trace.nodes[m].kind == NodeKind.OP]
        what = " → ".join(ops) if len(ops) <= 4 else " → ".join(ops[:3]) + f" … {len(ops) - 3} more"
        parameters = graph.layer_parameters.get(box.id, 0)
        first = (f"{what}  {parameters:,} p" if parameters else what, "grey62")
    elif node.kind == NodeKind.OP:
        layer = box.scope.rpartition(".")[2]
        first = (node.op + (f" · {layer}" if layer and layer != node.op else ""), "grey62")
    else:
        first = ("parameter" if node.kind == NodeKind.INPUT else "constant input", "grey62")
    lines = [first, (shape_text(node.value), "grey62"), (statistics(node.value), "green")]
    if node.grad is not None:
        lines.append(("∇ " + statistics(node.grad), "red"))
    elif box.anomaly and node.where:
        lines.append((short_where(node.where), "bold red"))
    else:
        lines.append(("∇ –", "grey50"))
    return lines



