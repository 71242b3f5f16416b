"""The library never loads Textual: only the explorer does."""

import subprocess
import sys


def _loaded_textual(statement: str) -> list[str]:
    """The Textual modules a fresh interpreter has loaded after ``statement``."""
    code = f"{statement}\nimport sys\nprint(*(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_import_graphlab_loads_no_textual():
    assert _loaded_textual("import graphlab") == []


def test_importing_the_entry_point_loads_no_textual():
    """`graphlab tui` imports ``run`` cheaply; Textual loads when the app starts."""
    assert _loaded_textual("from graphlab.tui import run") == []


def test_the_app_module_does_load_textual():
    """The check above can fail: the app module itself does bring Textual in."""
    assert "textual.app" in _loaded_textual("import graphlab.tui.app")
