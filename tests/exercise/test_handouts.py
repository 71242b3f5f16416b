"""Handouts for every bundled exercise: worksheet and key in SVG, Markdown and TikZ (PDF for a few), typeset,
in the exercise's language, written whole or not at all."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from graphlab.cli import main
from graphlab.exercise import bundled, load
from graphlab.exercise.handouts import write_set
from graphlab.exercise.typeset import formula_latex
from graphlab.exercise.variants import Variant

EXERCISES = bundled()
WITH_CONSTANTS = ["cs231n-sigmoid-neuron", "l2-regularised-loss", "w10-square-reciprocal"]
"""The exercises whose key once failed: a constant's empty gradient made an empty <font> tag."""


def svg_text(path) -> str:
    """The words of an SVG as a reader sees them (Graphviz writes - as &#45;)."""
    return html.unescape(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_every_bundled_exercise_has_a_whole_set(tmp_path, exercise):
    out = tmp_path / "set"
    written = write_set([Variant(None, exercise)], out)  # every format: PDF, SVG, Markdown, TikZ
    folder = out / exercise.id
    names = {p.relative_to(out).as_posix() for p in written}
    assert names == {"variants.csv", "slides.tex"} | {f"{exercise.id}/{n}" for n in (
        "formula.png", "worksheet.pdf", "key.pdf", "worksheet.svg", "key.svg", "worksheet.md", "key.md",
        "graph.tex")}
    for page in ("worksheet.pdf", "key.pdf"):
        data = (folder / page).read_bytes()
        assert data.startswith(b"%PDF") and b"/Type /Page" in data
    for name in ("worksheet.svg", "key.svg"):
        svg = (folder / name).read_text(encoding="utf-8")
        ET.fromstring(svg)  # well-formed
        assert "data:image/png;base64," in svg  # the typeset formula travels inside the SVG
    trace = exercise.solve()
    fmt = trace.policy.format
    key, sheet = svg_text(folder / "key.svg"), svg_text(folder / "worksheet.svg")
    assert f"f = {fmt(trace.value)}" in key.replace("\xa0", " ")
    assert f"f = {fmt(trace.value)}" not in sheet.replace("\xa0", " ")
    assert f"$$f = {formula_latex(exercise)}$$" in (folder / "worksheet.md").read_text(encoding="utf-8")
    assert (folder / "graph.tex").read_text().count("\\draw") == len(trace.edges()) + 1


@pytest.mark.parametrize("name", WITH_CONSTANTS)
def test_the_exercises_with_constants_hand_out_from_the_command_line(tmp_path, capsys, name):
    assert main(["handout", name, "--count", "2", "--seed", "1", "--out", str(tmp_path / "h"), "--format", "pdf"]) == 0
    assert "wrote 7 files for 2 variant(s)" in capsys.readouterr().out  # variants.csv; a formula and two PDFs each


def test_headings_in_the_asked_language_and_a_worksheet_without_the_graph(tmp_path, capsys):
    assert main(["handout", "variant-2", "--count", "2", "--seed", "1", "--out", str(tmp_path / "en"),
                 "--format", "svg,md", "--lang", "en", "--no-graph"]) == 0
    sheet = svg_text(tmp_path / "en" / "v01" / "worksheet.svg")
    assert "Variant 1 · variant-2" in sheet and "Draw the computational graph." in sheet
    assert not re.search("[а-яА-Я]", sheet)  # English only
    assert 'class="node"' not in (tmp_path / "en" / "v01" / "worksheet.svg").read_text()
    assert 'class="node"' in (tmp_path / "en" / "v01" / "key.svg").read_text()  # the key keeps its graph
    assert "![graph](worksheet.svg)" not in (tmp_path / "en" / "v01" / "worksheet.md").read_text()
    assert main(["handout", "variant-2", "--out", str(tmp_path / "ru"), "--format", "md", "--lang", "ru"]) == 0
    text = (tmp_path / "ru" / "variant-2" / "key.md").read_text()
    assert text.startswith("# Ответы — Вариант 2") and "округление до 2 знаков" in text


def test_no_line_breaks_inside_name_equals_value(tmp_path):
    """Each answer of the grid is one cell: "∂f/∂x0 = ______" never wraps between the name and its blank."""
    write_set([Variant(None, load("two-layer-relu-net"))], tmp_path / "h", ("svg",))
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", (tmp_path / "h" / "two-layer-relu-net" / "worksheet.svg")
                       .read_text(encoding="utf-8"))
    blanks = [t for t in texts if "______" in t]
    assert len(blanks) == 1 + len(load("two-layer-relu-net").wrt)
    assert all(re.fullmatch(r"(f|∂f/∂\w+)\xa0=\xa0______", t) for t in blanks)


def test_a_set_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    import graphlab.exercise.handouts as handouts

    out = tmp_path / "set"
    write_set([Variant(None, load("w01-add"))], out, ("md",))
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    real = handouts.write_variant
    monkeypatch.setattr(handouts, "write_variant", failing)
    from graphlab.exercise.variants import draw

    with pytest.raises(OSError):
        write_set(draw(load("variant-2"), 3, "1"), out, ("md",))
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before  # the earlier set, untouched
    assert [p.name for p in tmp_path.iterdir()] == ["set"]  # no half-built folder beside it


def test_a_folder_of_other_files_is_not_replaced(tmp_path, capsys):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious")
    assert main(["handout", "variant-2", "--out", str(tmp_path / "mine"), "--format", "md"]) == 2
    assert "exists and holds other files" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["thesis.tex"]


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_slides_compile_with_the_formula_and_shapes_that_shrink(tmp_path, capsys):
    assert main(["handout", "two-layer-relu-net", "--count", "1", "--out", str(tmp_path / "h"), "--format", "tex"]) == 0
    graph = (tmp_path / "h" / "v01" / "graph.tex").read_text()
    scale = float(re.search(r"scale=([0-9.]+)", graph).group(1))
    corner = float(re.search(r"rounded corners=([0-9.]+)mm", graph).group(1))
    assert "transform shape" in graph and corner == pytest.approx(2.0 * scale, abs=0.01)  # no I-beams
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "slides.tex"], check=False,
                         cwd=tmp_path / "h", capture_output=True, text=True, timeout=120)
    if "t2aenc.def' not found" in run.stdout:
        pytest.skip("pdflatex has no Cyrillic fonts (texlive-lang-cyrillic)")
    assert run.returncode == 0, run.stdout[-2000:]
    assert "Output written on slides.pdf (3 pages" in run.stdout
