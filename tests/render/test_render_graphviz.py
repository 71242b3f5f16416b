"""The diagram's DOT source, checked without the Graphviz binary, and real renders with it."""

from __future__ import annotations

import math
import os
import re
import shutil

import pytest

from graphlab import Value, round_to
from graphlab.render import RenderError, to_graphviz, write
from graphlab.render.graphviz_render import CONSTANT_COLOUR, GRADIENT_COLOUR, VALUE_COLOUR
from tests.render.conftest import FORMULA, lecture_trace, parsed_lecture_trace

E = math.exp(3)  # f = x0·e^(x0·y0 + x1·y1) = e³ at the exercise's point
LECTURE_EDGES = ["e4_0", "e4_1", "e5_0", "e5_1", "e6_0", "e6_1", "e7_0", "e8_0", "e9_0", "e9_1", "e_out"]
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


def edge_numbers(source: str, name: str) -> tuple[str, str]:
    """(value above, gradient below) of the edge drawn through label node ``name``."""
    label = re.search(rf"^\s*{name} \[label=<(.*?)> ", source, re.M).group(1)
    value = re.search(rf'<font point-size="12" color="(?:{VALUE_COLOUR}|{CONSTANT_COLOUR})">([^<]*)</font>', label)
    grad = re.search(rf'<font point-size="12" color="{GRADIENT_COLOUR}">([^<]*)</font>', label)
    return value.group(1), grad.group(1)


def full(x: float) -> str:
    return f"{x:.10g}"


def test_every_node_and_edge_is_drawn(rounded):
    source = to_graphviz(rounded).source
    for node_id in range(10):
        assert re.search(rf"^\s*n{node_id} \[label=", source, re.M)
    wires = set(re.findall(r"^\s*(\w+)(?::\w+)? -> (\w+)", source, re.M))
    consumers = {4: (0, 2), 5: (1, 3), 6: (4, 5), 7: (6,), 8: (7,), 9: (0, 8)}
    expected = set()
    for dst, srcs in consumers.items():
        for index, src in enumerate(srcs):
            expected |= {(f"n{src}", f"e{dst}_{index}"), (f"e{dst}_{index}", f"n{dst}")}
    expected |= {("n9", "e_out"), ("e_out", "end")}
    assert wires == expected


def test_rounded_edges_carry_the_lectures_numbers(rounded):
    source = to_graphviz(rounded).source
    numbers = {name: edge_numbers(source, name) for name in LECTURE_EDGES}
    assert numbers == {
        "e4_0": ("1.00", "20.00"), "e4_1": ("1.00", "20.00"),      # x0·y0: ∂/∂x0 = y0, ∂/∂y0 = x0
        "e5_0": ("-1.00", "-40.00"), "e5_1": ("-2.00", "-20.00"),  # x1·y1: ∂/∂x1 = y1 = -2, ∂/∂y1 = x1
        "e6_0": ("1.00", "20.00"), "e6_1": ("2.00", "20.00"),
        "e7_0": ("3.00", "20.00"),                                 # neg: -1 × -20
        "e8_0": ("-3.00", "-20.00"),                               # exp: e^-3 rounded 0.05, × -400
        "e9_0": ("1.00", "20.00"), "e9_1": ("0.05", "-400.00"),    # 1/b = 20, -a/b² = -400
        "e_out": ("20.00", "1.00"),
    }


def test_exact_edges_match_the_closed_form(exact):
    source = to_graphviz(exact).source
    numbers = {name: edge_numbers(source, name) for name in LECTURE_EDGES}
    assert numbers["e_out"] == (full(E), "1")
    assert numbers["e9_1"] == (full(math.exp(-3)), full(-E * E))
    assert numbers["e8_0"] == ("-3", full(-E))
    assert numbers["e5_0"] == ("-1", full(-2 * E))
    assert numbers["e5_1"] == ("-2", full(-E))
    assert all(numbers[name][1] == full(E) for name in ("e4_0", "e4_1", "e6_0", "e6_1", "e7_0", "e9_0"))


def test_an_input_used_twice_gets_one_edge_per_use():
    a = Value(3, "a")
    y = a * a
    y.backward()
    source = to_graphviz(y.trace()).source
    assert re.findall(r"^\s*n0 -> (\w+)", source, re.M) == ["e1_0", "e1_1"]
    # d(a²)/da = 2a = 6 arrives as 3 along each edge.
    assert edge_numbers(source, "e1_0") == edge_numbers(source, "e1_1") == ("3", "3")


def test_constants_are_grey_and_carry_no_gradient():
    with round_to(2):
        x = Value(0.5, "x")
        y = x * 2
    y.backward()
    source = to_graphviz(y.trace()).source
    const_line = re.search(r"^\s*n1 \[.*$", source, re.M).group(0)  # the literal is made before its user
    assert f'fontcolor="{CONSTANT_COLOUR}"' in const_line and "label=<2>" in const_line
    assert re.search(rf'^\s*n1 -> e2_1 \[.*color="{CONSTANT_COLOUR}"', source, re.M)
    assert f'<font point-size="12" color="{GRADIENT_COLOUR}">&#160;</font>' in source
    assert edge_numbers(source, "e2_0") == ("0.50", "2.00")


def test_inputs_share_the_leftmost_rank(rounded):
    source = to_graphviz(rounded).source
    block = re.search(r"subgraph inputs \{(.*?)\}", source, re.S).group(1)
    assert "rank=same" in block
    assert re.findall(r"^\s*(n\d+) \[", block, re.M) == ["n0", "n1", "n2", "n3"]
    assert "rankdir=LR" in source


def test_the_same_trace_gives_the_same_dot_byte_for_byte():
    assert to_graphviz(lecture_trace(2)).source == to_graphviz(lecture_trace(2)).source


def test_title_names_formula_and_rounding(rounded):
    source = to_graphviz(rounded).source
    assert f"f = {FORMULA}" in source and "round to 2 decimals (every node, ties away)" in source
    custom = to_graphviz(rounded, title="Variant 2 & more").source
    assert "Variant 2 &amp; more" in custom and FORMULA not in custom


def test_labels_are_escaped_for_html():
    x = Value(1.0, "a<b&c")
    y = x.exp()
    y.backward()
    assert "a&lt;b&amp;c" in to_graphviz(y.trace(formula="exp(a<b&c)")).source


def test_dot_and_gv_need_no_binary(rounded, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    for name in ("g.dot", "g.gv"):
        written = write(rounded, tmp_path / "out" / name)
        assert written.read_text() == to_graphviz(rounded).source


@needs_dot
@pytest.mark.parametrize("suffix, magic", [(".svg", b"<?xml"), (".png", b"\x89PNG\r\n\x1a\n"), (".pdf", b"%PDF-")])
def test_images_are_written_whole(rounded, tmp_path, suffix, magic):
    path = write(rounded, tmp_path / "deep" / f"f{suffix}")
    data = path.read_bytes()
    assert data.startswith(magic) and len(data) > 1000
    assert sorted(os.listdir(path.parent)) == [f"f{suffix}"]


@needs_dot
def test_svg_shows_the_numbers(rounded, tmp_path):
    svg = write(rounded, tmp_path / "f.svg").read_text()
    assert "<svg" in svg and "&#45;400.00" in svg and "20.00" in svg  # Graphviz writes − as &#45;


def test_missing_dot_writes_source_and_explains(rounded, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(RenderError) as caught:
        write(rounded, tmp_path / "f.png")
    message = str(caught.value)
    for hint in ("dot", "sudo apt-get install graphviz", "brew install graphviz", "conda", str(tmp_path / "f.dot")):
        assert hint in message
    assert os.listdir(tmp_path) == ["f.dot"]
    assert (tmp_path / "f.dot").read_text() == to_graphviz(rounded).source


def test_unknown_suffix_is_refused(rounded, tmp_path):
    with pytest.raises(RenderError, match=r"\.dot, \.gv, \.svg, \.png, \.pdf"):
        write(rounded, tmp_path / "f.jpeg")
    assert os.listdir(tmp_path) == []


def test_a_failed_write_leaves_nothing(rounded, tmp_path, monkeypatch):
    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(RenderError, match=r"f\.dot: cannot write there .disk full"):
        write(rounded, tmp_path / "f.dot")
    assert os.listdir(tmp_path) == []


@needs_dot
def test_first_operand_enters_from_above(rounded):
    # The numerator x0 of ÷ is drawn above the denominator exp(…) (SVG y grows downwards).
    svg = to_graphviz(rounded).pipe(format="svg").decode()

    def height(name: str) -> float:
        block = re.search(rf"<title>{name}</title>.*?<text[^>]* y=\"(-?[\d.]+)\"", svg, re.S)
        return float(block.group(1))

    assert height("e9_0") < height("e9_1")
    assert height("e4_0") < height("e4_1") and height("e5_0") < height("e5_1")


def test_parser_labels_do_not_clutter_the_diagram():
    source = to_graphviz(parsed_lecture_trace(2)).source
    assert "xlabel" not in source and re.search(r"^\s*end \[label=<f>", source, re.M)
    assert edge_numbers(source, "e9_1") == ("0.05", "-400.00")


def test_named_nodes_are_marked_and_the_output_keeps_its_name():
    x, y, z = Value(-2, "x"), Value(5, "y"), Value(-4, "z")
    q = Value.apply("add", x, y, label="q")
    f = Value.apply("mul", q, z, label="L")
    f.backward()
    source = to_graphviz(f.trace()).source
    assert re.search(r"^\s*n3 \[label=<\+> .*xlabel=<.*<i>q</i>", source, re.M)
    assert "<i>L</i>" not in source
    assert re.search(r"^\s*end \[label=<L>", source, re.M)
    assert edge_numbers(source, "e4_0") == ("3", "-4")  # ∂L/∂q = z


def test_a_failing_dot_is_reported_and_leaves_nothing(rounded, tmp_path, monkeypatch):
    graphviz = pytest.importorskip("graphviz")

    def crash(self, format=None):
        raise graphviz.CalledProcessError(1, ["dot", f"-T{format}"], stderr=b"Error: trouble in layout")

    monkeypatch.setattr(graphviz.Digraph, "pipe", crash)
    with pytest.raises(RenderError, match="trouble in layout"):
        write(rounded, tmp_path / "f.svg")
    assert os.listdir(tmp_path) == []
