"""Save the diagram or the trace from the app, in any format ``graphlab.render.write`` knows."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from graphlab.render import RenderError, suffixes, write
from graphlab.trace import Trace


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
            note = "; your browser downloads the file" if self.app.is_web else ""
            yield Static(f"The suffix picks the format: {' '.join(suffixes())}{note}", classes="dialog-note")
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
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        try:
            if self.app.is_web:  # served to a browser: a download, not a file on the server
                from graphlab.tui.delivery import deliver  # lazy: loaded when a file is saved

                self.dismiss(deliver(self.app, self.trace, path.name))
            else:
                self.dismiss(write(self.trace, path))
        except RenderError as err:
            self.query_one("#export-error", Static).update(str(err))
