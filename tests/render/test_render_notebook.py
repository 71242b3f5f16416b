"""What Jupyter shows: one bundle per object, whose entries are alternatives of one picture."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

import graphlab.tensor as gt
from graphlab import Value, nn
from graphlab.render.notebook import mimebundle
from graphlab.render.tables import to_text_table

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


@needs_dot
def test_a_trace_is_its_diagram_with_the_table_in_html_and_text(rounded):
    bundle = mimebundle(rounded)
    assert set(bundle) == {"image/svg+xml", "text/html", "text/plain"}
    html = bundle["text/html"]
    assert html.count("<svg") == 1 and "<?xml" not in html and "<!DOCTYPE" not in html
    assert html.index("<svg") < html.index("<table") and html.count("<tr>") == 1 + len(rounded.nodes)
    assert "∂f/∂x0 = 40.00" in html and "<td style=\"text-align:right\">-400.00</td>" in html
    assert bundle["image/svg+xml"].count("<svg") == 1
    assert bundle["text/plain"].splitlines()[-5] == "f = 20.00"


def test_without_graphviz_the_table_alone(rounded, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    bundle = mimebundle(rounded)
    assert set(bundle) == {"text/html", "text/plain"} and "<svg" not in bundle["text/html"]
    assert "∂f/∂x0 = 40.00" in bundle["text/plain"] and "<table" in bundle["text/html"]


def test_labels_are_escaped_in_html(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    a = Value(2, "<b>a</b>")
    y = a * 3
    y.backward()
    html = mimebundle(y.trace())["text/html"]
    assert "<b>a</b>" not in html and "&lt;b&gt;a&lt;/b&gt;" in html


def test_values_and_traces_show_themselves(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    a = Value(3, "a")
    y = a * a
    y.backward()
    assert y._repr_mimebundle_()["text/plain"].splitlines()[-1] == "∂f/∂a = 6"
    assert y.trace()._repr_mimebundle_() == mimebundle(y.trace())


def test_the_text_table_is_returned_even_where_rich_sees_a_notebook(rounded, monkeypatch):
    """Inside a kernel rich's Console displays instead of writing: the table must still come back as text."""
    import rich.console

    monkeypatch.setattr(rich.console, "_is_jupyter", lambda: True)
    assert rich.console.Console().is_jupyter  # the check above can fail
    text = to_text_table(rounded, width=110)
    assert len(text.splitlines()) > 20 and "│  9 │ op" in text


def _loss_of_a_small_network():
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    out = model(gt.randn(5, 4, generator=gt.Generator(0)))
    return model, out


def test_a_tensor_trace_shows_its_collapsed_diagram_and_a_one_line_summary():
    model, out = _loss_of_a_small_network()
    trace = gt.TensorTrace.from_tensor(out.sum(), backward=True)
    assert repr(trace) == f"TensorTrace({len(trace.nodes)} nodes; output sum: scalar float32)"
    bundle = trace._repr_mimebundle_()
    assert bundle["text/plain"] == repr(trace)
    if shutil.which("dot"):
        assert set(bundle) == {"image/svg+xml", "text/plain"}
        assert bundle["image/svg+xml"].count("<svg") == 1 and "0:Linear" in bundle["image/svg+xml"]


def test_a_module_shows_its_last_forward_pass_while_that_graph_lives():
    model, out = _loss_of_a_small_network()
    bundle = model._repr_mimebundle_()
    assert bundle["text/plain"] == repr(model)
    if shutil.which("dot"):
        assert "image/svg+xml" in bundle and "2:Linear" in bundle["image/svg+xml"]
    out.sum().backward()  # frees the graph: nothing left to draw
    assert model._repr_mimebundle_() == {"text/plain": repr(model)}
    fresh = nn.Linear(2, 2)
    assert fresh._repr_mimebundle_() == {"text/plain": repr(fresh)}


def test_a_module_keeps_no_output_alive():
    import gc
    import weakref

    model, out = _loss_of_a_small_network()
    watch = weakref.ref(out)
    del out
    gc.collect()
    assert watch() is None and model._repr_mimebundle_() == {"text/plain": repr(model)}


def test_importing_the_renderers_loads_neither_graphviz_nor_rich():
    code = "import sys, graphlab, graphlab.render; print('graphviz' in sys.modules, 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=".")
    assert out.stdout.split() == ["False", "False"]
