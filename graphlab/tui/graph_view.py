"""The graph drawn in text: boxes in layers, box-drawing edges, a selected node.

A line-API widget: only the rows on screen are styled, so a graph of a few
hundred nodes scrolls as fast as a small one. The layout (where boxes and
lines stand) is computed once per trace; each box's numbers come from a
``faces`` function the app provides (the stepper's or the exercise's view).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from graphlab.trace import NodeKind, Trace
from graphlab.tui import box as geometry
from graphlab.tui.box import Box
from graphlab.tui.faces import Face
from graphlab.tui.layout import Highlight, Layout, compute_layout

_EDGE, _ACTIVE, _BOX, _SELECTED, _CURRENT, _CONST = range(6)
_STATE_CLASSES = {"shown": "graph--value", "pending": "graph--pending", "right": "graph--right",
                  "wrong": "graph--wrong", "none": "graph--pending"}


class GraphView(ScrollView, can_focus=True):
    """The DAG of a trace; arrows move the selection, shift+arrows and the mouse pan."""

    COMPONENT_CLASSES = {
        "graph--edge", "graph--edge-active", "graph--box", "graph--box-selected",
        "graph--box-current", "graph--box-const", "graph--value", "graph--grad",
        "graph--pending", "graph--right", "graph--wrong", "graph--label",
    }
    BINDINGS = [
        *(Binding(key, f"move{step}", "Move", show=False, key_display="arrows",
                  tooltip="select the neighbouring node (or click a box)")
          for key, step in (("left", (-1, 0)), ("right", (1, 0)), ("up", (0, -1)), ("down", (0, 1)))),
        *(Binding(f"shift+{key}", f"pan{step}", "Pan", show=False, key_display="shift+arrows",
                  tooltip="pan (or scroll with the mouse wheel)")
          for key, step in (("left", (-8, 0)), ("right", (8, 0)), ("up", (0, -4)), ("down", (0, 4)))),
    ]

    selected: reactive[int | None] = reactive(None)
    """The node whose box and edges are highlighted."""
    current: reactive[int | None] = reactive(None)
    """The node of the stepper's last step."""

    class Selected(Message):
        """The user picked a node (arrows or a click)."""

        def __init__(self, node_id: int) -> None:
            self.node_id = node_id
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.trace: Trace | None = None
        self.graph_layout: Layout | None = None
        self._faces: Callable[[int], Face] | None = None
        self._active: Highlight | None = None

    # -- feeding -----------------------------------------------------------------

    def show_trace(self, trace: Trace, faces: Callable[[int], Face], layout: Layout | None = None) -> None:
        """Draw ``trace`` (laid out anew unless ``layout`` is given), its boxes filled by ``faces``."""
        self.trace = trace
        self.graph_layout = layout or compute_layout(trace)
        self._faces = faces
        self.virtual_size = Size(self.graph_layout.width, self.graph_layout.height)
        if self.selected is not None and self.selected >= len(trace.nodes):
            self.selected = None
        self._update_active_edges()
        self.refresh()

    def refresh_faces(self, faces: Callable[[int], Face]) -> None:
        """The numbers changed (a step, an answer); the layout did not."""
        self._faces = faces
        self.refresh()

    # -- selection -----------------------------------------------------------------

    def watch_selected(self, node_id: int | None) -> None:
        self._update_active_edges()
        self.call_after_refresh(self._scroll_to_selected)
        self.refresh()

    def _scroll_to_selected(self) -> None:
        """Bring the selected box on screen, once the view knows its size."""
        if self.selected is not None and self.graph_layout is not None and self.size.area:
            box = self.graph_layout.boxes[self.selected]
            self.scroll_to_region(Region(box.x, box.y, box.width, geometry.HEIGHT), animate=False, force=True)

    def watch_current(self) -> None:
        self.refresh()

    def _update_active_edges(self) -> None:
        """The selected node's edges, in and out, are drawn in the active colour."""
        node = self.selected
        if self.graph_layout is None or node is None:
            self._active = None
            return
        incoming = [(node, i) for i in range(len(self.trace.nodes[node].inputs))]
        self._active = self.graph_layout.highlight(incoming + self.graph_layout.outgoing(node))

    def action_move(self, dx: int, dy: int) -> None:
        """Select the neighbouring box: another layer for dx, the same layer for dy."""
        if self.graph_layout is None:
            return
        layers, boxes = self.graph_layout.layers, self.graph_layout.boxes
        if self.selected is None:
            self.post_message(self.Selected(next(layer for layer in layers if layer)[0]))
            return
        box = boxes[self.selected]
        if dy:
            layer = layers[box.layer]
            target = layer[max(0, min(len(layer) - 1, layer.index(self.selected) + dy))]
        else:
            k = box.layer + dx
            while 0 <= k < len(layers) and not layers[k]:
                k += dx
            if not 0 <= k < len(layers):
                k = box.layer
            target = min(layers[k], key=lambda n: abs(boxes[n].y - box.y))
        self.post_message(self.Selected(target))

    def action_pan(self, dx: int, dy: int) -> None:
        self.scroll_to(self.scroll_x + dx, self.scroll_y + dy, animate=False)

    def box_at(self, x: int, y: int) -> Box | None:
        """The box under the virtual cell (x, y)."""
        return None if self.graph_layout is None else self.graph_layout.box_at(x, y)

    def on_click(self, event) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        box = self.box_at(offset.x + int(self.scroll_x), offset.y + int(self.scroll_y))
        if box is not None:
            self.post_message(self.Selected(box.node))

    # -- drawing -------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """One screen row: only the visible columns of the layout row are styled."""
        width = self.size.width
        row = y + int(self.scroll_y)
        base = self.rich_style
        layout = self.graph_layout
        if layout is None or row >= layout.height:
            return Strip.blank(width, base)
        left = int(self.scroll_x)
        palette = [self.get_component_rich_style(name) for name in (
            "graph--edge", "graph--edge-active", "graph--box", "graph--box-selected",
            "graph--box-current", "graph--box-const")]
        chars = list(layout.row_text(row, left, width))
        styles: list[Style | None] = [palette[_EDGE] if c != " " else None for c in chars]
        if self._active is not None:
            for x in self._active.columns(row, left, left + width):
                styles[x - left] = palette[_ACTIVE]
        for box in layout.boxes_in(row, left, left + width):
            self._draw_box_row(box, row - box.y, left, chars, styles, palette)
        return Strip(_segments(chars, styles, base), width)

    def _draw_box_row(self, box: Box, dy: int, left: int, chars: list[str], styles: list,
                      palette: list[Style]) -> None:
        """Style row ``dy`` of a box and fill in its number; ``left`` is the first visible column."""
        node = self.trace.nodes[box.node]
        if box.node == self.selected:
            border = palette[_SELECTED]
        elif box.node == self.current:
            border = palette[_CURRENT]
        elif node.kind == NodeKind.CONST:
            border = palette[_CONST]
        else:
            border = palette[_BOX]
        cells: dict[int, Style] = dict.fromkeys(range(box.x, box.right), border)
        if dy == geometry.TITLE_ROW:
            label = border + self.get_component_rich_style("graph--label")
            cells.update(dict.fromkeys(box.title_columns(node.symbol), label))
        face = self._faces(box.node) if (self._faces and dy in geometry.PREFIXES) else None
        if face is not None:
            text, state = (face.value, face.value_state) if dy == geometry.VALUE_ROW else (face.grad, face.grad_state)
            body = box.number_text(dy, text, shown=state != "none")
            number = self.get_component_rich_style(
                "graph--grad" if (dy == geometry.GRAD_ROW and state == "shown") else _STATE_CLASSES[state])
            muted = self.get_component_rich_style("graph--pending")
            for i, char in enumerate(body):
                x = box.x + 1 + i
                if left <= x < left + len(chars):
                    chars[x - left] = char
                cells[x] = muted if i < geometry.PREFIX_WIDTH else number
        for x, style in cells.items():
            if left <= x < left + len(styles):
                styles[x - left] = style


def _segments(chars: list[str], styles: list, base: Style) -> list[Segment]:
    """Runs of equally styled cells as segments."""
    segments: list[Segment] = []
    start = 0
    for x in range(1, len(chars) + 1):
        if x == len(chars) or styles[x] is not styles[start]:
            style = styles[start]
            segments.append(Segment("".join(chars[start:x]), base + style if style else base))
            start = x
    return segments
