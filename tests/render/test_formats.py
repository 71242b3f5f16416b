"""``render.write``: one table of formats, picked by the file's suffix, written whole, errors naming the file."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from graphlab.exercise import load
from graphlab.render import Format, RenderError, format_for, formats, register, registry, suffixes, to_graphviz, write
from graphlab.render.tables import to_markdown
from graphlab.render.tikz import to_tikz
from graphlab.trace import Trace

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


@pytest.fixture
def trace() -> Trace:
    return load("variant-2").solve()


@pytest.mark.parametrize("name, expected", [
    ("f.dot", lambda t: to_graphviz(t).source),
    ("f.GV", lambda t: to_graphviz(t).source),
    ("f.Json", lambda t: t.to_json() + "\n"),
    ("f.tex", lambda t: to_tikz(t)),
    ("f.MD", lambda t: to_markdown(t)),
])
def test_a_text_format_writes_what_its_renderer_gives(trace, tmp_path, name, expected):
    path = write(trace, tmp_path / name)
    assert path == tmp_path / name and path.read_text() == expected(trace)
    assert os.listdir(tmp_path) == [name]


def test_json_round_trips_and_options_reach_the_renderer(trace, tmp_path):
    saved = Trace.from_json(write(trace, tmp_path / "t.json").read_text())
    assert saved.grads() == trace.grads()
    assert set(json.loads(write(trace, tmp_path / "x0.json", wrt=["x0"]).read_text())["grads"]) == {"x0"}
    assert "\\only<3->" in write(trace, tmp_path / "g.tex", reveal="overlays").read_text()
    text = write(trace, tmp_path / "t.txt").read_text()
    assert "∂f/∂x0 = 40.00" in text and max(map(len, text.splitlines())) > 100  # a file is not folded to a terminal


@needs_dot
@pytest.mark.parametrize("name, magic", [("f.svg", b"<?xml"), ("f.PNG", b"\x89PNG"), ("f.Pdf", b"%PDF-")])
def test_images_are_drawn_by_graphviz_whatever_the_case_of_the_suffix(trace, tmp_path, name, magic):
    assert write(trace, tmp_path / name).read_bytes().startswith(magic)


def test_node_numbers_and_a_label_replace_the_heading(trace, tmp_path):
    source = write(trace, tmp_path / "f.dot", label="<<b>Вариант 2</b>>", node_numbers=True).read_text()
    assert "#4</font>" in source and f"#{trace.output}</font>" not in source  # the output is f
    assert "labeljust=l" in source and "<b>Вариант 2</b>" in source and "gradient</font> below" not in source


def test_an_unknown_suffix_is_refused_naming_the_file_and_the_choices(trace, tmp_path):
    for name in ("f.jpeg", "f"):
        with pytest.raises(RenderError) as caught:
            write(trace, tmp_path / name)
        assert str(caught.value).startswith(f"{tmp_path / name}: cannot write ")
        assert ", ".join(suffixes()) in str(caught.value)
    assert os.listdir(tmp_path) == []


def test_an_option_the_format_does_not_take_is_refused(trace, tmp_path):
    with pytest.raises(TypeError, match=r"JSON files take no option reveal \(options: wrt\)"):
        write(trace, tmp_path / "f.json", reveal="all")
    assert os.listdir(tmp_path) == []


def test_a_tensor_trace_has_only_the_diagram_formats(tmp_path):
    import graphlab.tensor as gt

    x = gt.tensor([[1.0, -2.0]], requires_grad=True)
    (x * 3).sum().backward()
    tensor_trace = gt.TensorTrace.from_tensor((x * 3).sum(), backward=True)
    assert suffixes("tensor trace") == (".dot", ".gv", ".svg", ".png", ".pdf")
    assert "digraph" in write(tensor_trace, tmp_path / "t.dot", collapsed=True).read_text()
    with pytest.raises(RenderError, match=r"cannot write '.tex' files from a tensor trace; use one of .dot"):
        write(tensor_trace, tmp_path / "t.tex")
    with pytest.raises(TypeError, match="not dict"):
        write({}, tmp_path / "t.dot")


def test_a_failed_write_leaves_nothing_and_names_the_file_asked_for(trace, tmp_path, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", src)  # the OS names the temporary file

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(RenderError) as caught:
        write(trace, tmp_path / "f.json")
    assert str(caught.value) == f"{tmp_path / 'f.json'}: cannot write there (Permission denied)"
    assert isinstance(caught.value.__cause__, PermissionError)
    assert caught.value.__cause__.filename == str(tmp_path / "f.json")
    assert os.listdir(tmp_path) == []


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(registry, "_FORMATS", dict(registry._FORMATS))


def test_a_registered_format_is_written_like_the_others(trace, tmp_path, clean_registry):
    def csv(t: Trace, path, *, sep: str = ","):
        return "\n".join(f"{n.name}{sep}{t.policy.format(n.value)}" for n in t.nodes).encode()

    register(Format("CSV", (".csv",), "each node's name and value", {"trace": csv}))
    assert format_for("A.CSV").name == "CSV" and formats()[-1].name == "CSV"
    assert write(trace, tmp_path / "f.csv", sep=";").read_text().splitlines()[-1] == "x0/exp(-(x0*y0 + x1*y1));20.00"
    with pytest.raises(ValueError, match=r"\.json is already the suffix of JSON"):
        register(Format("Other JSON", (".json",), "", {"trace": csv}))
    with pytest.raises(ValueError, match="lower case"):
        register(Format("Upper", (".CSV",), "", {"trace": csv}))
