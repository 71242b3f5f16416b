"""What Jupyter shows: SVG when Graphviz runs, the table always, and no error without Graphviz."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from graphlab import Value
from graphlab.render.notebook import mimebundle


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_svg_and_table_with_graphviz(rounded):
    bundle = mimebundle(rounded)
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert "<svg" in bundle["image/svg+xml"]
    assert bundle["text/plain"].splitlines()[-5] == "f = 20.00"


def test_table_only_without_graphviz(rounded, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    bundle = mimebundle(rounded)
    assert list(bundle) == ["text/plain"] and "∂f/∂x0 = 40.00" in bundle["text/plain"]


def test_values_and_traces_show_themselves(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    a = Value(3, "a")
    y = a * a
    y.backward()
    assert y._repr_mimebundle_()["text/plain"].splitlines()[-1] == "∂f/∂a = 6"
    assert y.trace()._repr_mimebundle_() == mimebundle(y.trace())


def test_importing_the_renderers_loads_neither_graphviz_nor_rich():
    code = "import sys, graphlab, graphlab.render; print('graphviz' in sys.modules, 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=".")
    assert out.stdout.split() == ["False", "False"]
