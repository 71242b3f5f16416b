"""The explorer for a tensor trace: one box per layer, a layer expands into its ops, an inspector beside.

Opened by ``graphlab tui tensor-trace.json`` or ``TensorTrace.explore()``. The
boxes and their order come from ``tensor_boxes``, their cells from
``tensor_canvas`` (the shared layered layout, top to bottom), what the
inspector says from ``tensor_inspector``; the app holds which layers are
expanded and which box is selected, and maps keys and clicks to them.
"""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container, ScrollableContainer, VerticalScroll
from textual.geometry import Region
from textual.reactive import reactive
from textual.widgets import Footer, Static

from graphlab.tensor.trace import TensorTrace
from graphlab.tui.tensor_boxes import BoxGraph, box_graph, shape_text
from graphlab.tui.tensor_canvas import BOX_HEIGHT, BOX_WIDTH, Canvas
from graphlab.tui.tensor_inspector import describe_box


class TensorCanvas(Static):
    """The drawing; a click selects the box under the mouse."""

    def on_click(self, event: events.Click) -> None:
        self.app.select_at(event.x, event.y)


class TensorExplorerApp(App[None]):
    """Look through a network's recorded graph layer by layer, and into a layer's ops."""

    TITLE = "graphlab"
    CSS_PATH = ["tensor_app.tcss"]
    BINDINGS = [
        Binding("enter,space", "toggle", "Expand/collapse"),
        Binding("a", "toggle_all", "All layers"),
        # priority: the arrows move the selection (the view follows it) rather than scroll the drawing
        Binding("up", "move(0, -1)", "Up", show=False, priority=True),
        Binding("down", "move(0, 1)", "Down", show=False, priority=True),
        Binding("left", "move(-1, 0)", "Left", show=False, priority=True),
        Binding("right", "move(1, 0)", "Right", show=False, priority=True),
        Binding("n", "next_anomaly", "Next ⚠"),
        Binding("q", "quit", "Quit"),
    ]

    expanded: reactive[frozenset[str]] = reactive(frozenset(), always_update=True)
    """The layers shown op by op."""
    selected: reactive[int] = reactive(0)
    """The trace node whose box is selected (the box that holds it, when its layer is collapsed)."""

    def __init__(self, trace: TensorTrace, title: str = "") -> None:
        super().__init__()
        self.trace = trace
        self.heading = title
        self.graph: BoxGraph = box_graph(trace)
        self.canvas = Canvas(self.graph)

    def compose(self) -> ComposeResult:
        yield Static(id="problem-bar", markup=False)
        with Container(id="main"):
            with ScrollableContainer(id="graph"):
                yield TensorCanvas(id="canvas")
            with VerticalScroll(id="inspector"):
                yield Static(id="inspector-body")
        yield Static(id="status-bar", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        root = self.trace.root
        parts = [self.heading, f"{len(self.trace.nodes)} nodes", f"output {shape_text(root.value)} from {root.label}"]
        self.query_one("#problem-bar", Static).update(" " + " · ".join(p for p in parts if p))
        anomaly = next((n for n in self.trace.nodes if n.anomaly), None)
        self.selected = anomaly.id if anomaly else self.trace.output
        self.query_one("#graph").focus()

    # -- state -------------------------------------------------------------------------------

    def watch_expanded(self, expanded: frozenset[str]) -> None:
        self.graph = box_graph(self.trace, set(expanded))
        self.canvas = Canvas(self.graph)
        self.refresh_view()

    def watch_selected(self) -> None:
        self.refresh_view()

    @property
    def box(self):
        return self.graph.nodes[self.graph.box_of[self.selected]]

    def refresh_view(self) -> None:
        if not self.is_mounted:
            return
        box = self.box
        self.query_one("#canvas", TensorCanvas).update(self.canvas.render(box.id))
        self.query_one("#inspector-body", Static).update(describe_box(self.graph, box))
        layers = self.graph.layers()
        open_layers = sum(layer in self.expanded for layer in layers)
        anomalies = sum(n.anomaly for n in self.trace.nodes)
        status = (f" {len(self.graph.nodes)} boxes · {len(layers)} layer{'s' if len(layers) != 1 else ''}, "
                  f"{open_layers} expanded")
        if anomalies:
            status += " · ⚠ NaN/inf first appears in the marked box (n goes to it)"
        self.query_one("#status-bar", Static).update(status)
        placed = self.canvas.place_of(box.id)
        region = Region(placed.x, placed.y, BOX_WIDTH, BOX_HEIGHT)
        self.call_after_refresh(self.query_one("#graph", ScrollableContainer).scroll_to_region, region,
                                animate=False)

    # -- actions -----------------------------------------------------------------------------

    def action_toggle(self) -> None:
        """Expand the selected layer into its ops, or collapse the layer the selected op belongs to."""
        box = self.box
        if box.layer:
            self.expanded = self.expanded | {box.scope}
        elif box.scope in self.expanded:
            self.expanded = self.expanded - {box.scope}

    def action_toggle_all(self) -> None:
        layers = set(self.graph.layers()) | set(self.expanded)
        self.expanded = frozenset() if self.expanded else frozenset(layers)

    def action_move(self, dx: int, dy: int) -> None:
        """The nearest box in that direction: along the row for left/right, the next row for up/down."""
        here = self.canvas.place_of(self.box.id)
        candidates = [p for p in self.canvas.placed if p.box.id != here.box.id
                      and ((dy and (p.y - here.y) * dy > 0) or (dx and p.y == here.y and (p.x - here.x) * dx > 0))]
        if not candidates:
            return
        target = min(candidates, key=lambda p: (abs(p.y - here.y), abs(p.x - here.x)))
        self.selected = target.box.node.id

    def action_next_anomaly(self) -> None:
        marked = [n.id for n in self.trace.nodes if n.anomaly]
        if marked:
            later = [i for i in marked if i > self.selected]
            self.selected = (later or marked)[0]
        else:
            self.notify("No NaN or infinity was recorded in this trace.", timeout=3)

    def select_at(self, x: int, y: int) -> None:
        box = self.canvas.box_at(x, y)
        if box is None:
            return
        if box.id == self.box.id:
            self.action_toggle()  # a second click on a box opens or closes its layer
        else:
            self.selected = box.node.id
