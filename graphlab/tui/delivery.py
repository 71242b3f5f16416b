"""Saving from the explorer served in a browser: the file goes to the browser as a download.

Under ``graphlab serve`` the app runs on the server, so writing the file where
the user typed would put it on the server's disk. Instead the format the name's
suffix picks (``graphlab.render``'s table) makes the file's bytes, and Textual's
``deliver_binary`` hands them to the browser, which textual-serve turns into a
download.
"""

from __future__ import annotations

import io
import mimetypes
from pathlib import Path

from textual.app import App

from graphlab.render.registry import SCALAR, format_for
from graphlab.trace import Trace


def deliver(app: App, trace: Trace, name: str) -> Path:
    """Send ``trace`` as the file ``name`` (its suffix picks the format) to the browser; returns the name."""
    path = Path(Path(name).name)  # a download has a name, not a folder on the server
    data = format_for(path).writers[SCALAR](trace, path)
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    app.deliver_binary(io.BytesIO(data), save_filename=path.name, mime_type=mime)
    return path
