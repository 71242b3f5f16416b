"""Save the diagram (SVG/PNG/PDF/DOT via Graphviz) or the trace (JSON) from the app."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from graphlab.trace import Trace

SUFFIXES = (".svg", ".png", ".pdf", ".dot", ".gv", ".json")


def export(trace: Trace, path: Path) -> Path:
    """Write ``trace`` to ``path``: JSON for ``.json``, else a Graphviz diagram; whole or not at all."""
    if path.suffix not in SUFFIXES:
        raise ValueError(f"{path.name}: the file name must end in one of {' '.join(SUFFIXES)}")
    if path.suffix == ".json":
        from graphlab.atomic import write_atomic

        return write_atomic(path, trace.to_json().encode("utf-8"))
    from graphlab.render.graphviz_render import render_file

    return render_file(trace, path)


class ExportScreen(ModalScreen[Path | None]):
    """Ask for a file name; the suffix picks the format."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, trace: Trace, default: str) -> None:
        super().__init__()
        self.trace = trace
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static("Save", classes="dialog-title")
            yield Static(f"The suffix picks the format: {' '.join(SUFFIXES)}", classes="dialog-note")
            with Horizontal(classes="field"):
                yield Label("file", classes="field-label")
                yield Input(self.default, id="path", compact=True)
            yield Static("", id="export-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.save()

    def on_input_submitted(self) -> None:
        self.save()

    def save(self) -> None:
        from graphlab.render.errors import RenderError

        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        try:
            self.dismiss(export(self.trace, path))
        except (RenderError, OSError, ValueError) as err:
            self.query_one("#export-error", Static).update(str(err))
