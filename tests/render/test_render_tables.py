"""Tables and answers: the lecture's numbers, printed with exactly the policy's digits."""

from __future__ import annotations

import math
import re
import shutil
import subprocess

import pytest

from graphlab import OPS, Value, round_to
from graphlab.render.tables import answers, latex_escape, node_rows, to_latex, to_markdown, to_text_table
from tests.render.conftest import parsed_lecture_trace

E = math.exp(3)
LECTURE_ANSWERS = [("f", "20.00"), ("∂f/∂x0", "40.00"), ("∂f/∂x1", "-40.00"), ("∂f/∂y0", "20.00"), ("∂f/∂y1", "-20.00")]


def test_answers_are_the_lectures(rounded):
    assert answers(rounded) == LECTURE_ANSWERS
    assert answers(rounded, wrt=["y1", "x0"]) == [("f", "20.00"), ("∂f/∂y1", "-20.00"), ("∂f/∂x0", "40.00")]


def test_exact_answers_match_the_closed_form(exact):
    # f = x0·e^(x0·y0 + x1·y1): ∂/∂x0 = (1 + x0·y0)·f, ∂/∂x1 = x0·y1·f, ∂/∂y0 = x0²·f, ∂/∂y1 = x0·x1·f.
    expected = [("f", E), ("∂f/∂x0", 2 * E), ("∂f/∂x1", -2 * E), ("∂f/∂y0", E), ("∂f/∂y1", -E)]
    assert answers(exact) == [(name, f"{x:.10g}") for name, x in expected]


def test_unknown_input_is_named(rounded):
    with pytest.raises(KeyError, match="z9"):
        answers(rounded, wrt=["z9"])


def test_rows_follow_the_graph(rounded):
    rows = node_rows(rounded)
    assert [row["id"] for row in rows] == [str(i) for i in range(10)]
    assert [row["value"] for row in rows] == ["1.00", "-1.00", "1.00", "-2.00", "1.00", "2.00", "3.00", "-3.00", "0.05", "20.00"]
    assert [row["gradient"] for row in rows] == ["40.00", "-40.00", "20.00", "-20.00", "20.00", "20.00", "20.00", "-20.00", "-400.00", "1.00"]
    division = rows[9]
    assert division["node"] == "x0/exp(−(x0·y0 + x1·y1))"
    assert division["op"] == "÷" and division["inputs"] == "x0, #8"
    assert division["local"] == "∂/∂x0 = 20.00; ∂/∂#8 = -400.00"  # 1/b and −a/b² at b = 0.05
    assert division["rule"] == "∂/∂a = 1/b; ∂/∂b = −a/b²"
    assert rows[5]["local"] == "∂/∂x1 = -2.00; ∂/∂y1 = -1.00"
    assert rows[0]["kind"] == "input" and rows[0]["local"] == "" and rows[0]["op"] == ""


def test_subformulas_keep_needed_parentheses_only():
    a, b, c = Value(1, "a"), Value(2, "b"), Value(3, "c")
    expressions = {
        "a − (b − c)": a - (b - c), "a − b − c": (a - b) - c, "a/(b·c)": a / (b * c),
        "a·b + c": a * b + c, "(a + b)·c": (a + b) * c, "(a + b)^2": (a + b) ** 2, "−a": -a,
        "a + (b + c)": a + (b + c), "a·(−b)": a * -b, "−a^2": -(a ** 2), "(−a)^2": (-a) ** 2,
        "√(a + b)": (a + b).sqrt(), "|a − b|": abs(a - b), "1/(a·b)": (a * b).reciprocal(),
    }
    for text, value in expressions.items():
        value.backward()
        assert node_rows(value.trace())[-1]["node"] == text


def test_labelled_nodes_are_called_by_name():
    x, y, z = Value(-2, "x"), Value(5, "y"), Value(-4, "z")
    q = Value.apply("add", x, y, label="q")
    f = q * z
    f.backward()
    rows = node_rows(f.trace())
    assert rows[-2]["node"] == "q = x + y" and rows[-1]["node"] == "q·z"
    assert answers(f.trace()) == [("f", "-12"), ("∂f/∂x", "-4"), ("∂f/∂y", "-4"), ("∂f/∂z", "3")]


def test_constants_have_no_gradient():
    with round_to(2):
        x = Value(0.5, "x")
        y = x * 2
    y.backward()
    rows = node_rows(y.trace())
    assert rows[1]["kind"] == "const" and rows[1]["gradient"] == ""
    assert rows[2]["local"] == "∂/∂x = 2.00"


def test_text_table_fits_and_ends_with_the_answers(rounded):
    for width in (70, 130):
        text = to_text_table(rounded, width=width)
        assert max(len(line) for line in text.splitlines()) <= width
        assert "┌" in text and "│" in text
        assert text.splitlines()[-5:] == [f"{name} = {value}" for name, value in LECTURE_ANSWERS]
    wide = to_text_table(rounded, width=130)
    assert re.search(r"│\s+8 │ op .*│\s+0\.05 │.*│\s+-400\.00 │", wide)
    assert "20.0 " not in wide and "40.0 " not in wide  # every number has both decimals


def test_markdown_is_a_well_formed_table(rounded):
    x = Value(1, "a|b")
    y = x * x
    y.backward()
    for trace in (rounded, y.trace()):
        lines = to_markdown(trace).splitlines()
        table = [line for line in lines if line.startswith("|")]
        assert len(table) == 2 + len(trace.nodes)
        cells = [len(re.findall(r"(?<!\\)\|", line)) - 1 for line in table]
        assert set(cells) == {9}
        assert re.fullmatch(r"\|(-{3}:?\|){9}|\|((---:|---)\|){9}", table[1])
    assert "- ∂f/∂y1 = -20.00" in to_markdown(rounded)
    assert "a\\|b" in to_markdown(y.trace())
    parsed = to_markdown(parsed_lecture_trace(2))
    assert r"**f = x0 / exp(-(x0\*y0 + x1\*y1)) · round to 2 decimals" in parsed
    assert r"| 4 | op | x0\*y0 | × | x0, y0 | 1.00 |" in parsed and r"\#8" in parsed


def test_latex_is_a_booktabs_tabular_with_escaped_labels():
    with round_to(2):
        x = Value(1.5, "x_1")
        y = Value(2, "50%")
        f = x * y
    f.backward()
    latex = to_latex(f.trace(formula="x_1 * 50%"))
    lines = latex.splitlines()
    assert lines[0] == r"\begin{tabular}{rllllrllr}" and lines[-1] == r"\end{tabular}"
    assert lines[1] == r"\toprule" and r"\bottomrule" in lines and lines.count(r"\midrule") == 2
    rows = [line for line in lines if line.endswith(r"\\") and "multicolumn" not in line]
    assert all(len(re.findall(r"(?<!\\)&", row)) == 8 for row in rows)
    body = "\n".join(lines[1:-1])
    assert r"x\_1" in body and r"50\%" in body and "x_1" not in body.replace(r"x\_1", "")
    unescaped = re.sub(r"\\[{}%&#_$]", "", body)
    assert unescaped.count("{") == unescaped.count("}")
    assert r"\multicolumn{9}{l}{f = 3.00, $\partial$f/$\partial$x\_1 = 2.00, $\partial$f/$\partial$50\% = 1.50}" in body


def test_latex_escape_covers_the_specials():
    assert latex_escape(r"a_b^c & 10% #1 {x} ~ $\ ") == (
        r"a\_b\textasciicircum{}c \& 10\% \#1 \{x\} \textasciitilde{} \$\textbackslash{} ")
    assert latex_escape("∂×−") == r"$\partial$$\times$$-$"


def test_parser_labels_stay_in_their_own_row():
    trace = parsed_lecture_trace(2)
    assert answers(trace) == [("f", "20.00"), ("∂f/∂x0", "40.00"), ("∂f/∂y0", "20.00"),
                              ("∂f/∂x1", "-40.00"), ("∂f/∂y1", "-20.00")]
    division = node_rows(trace)[9]
    assert division["node"] == "x0/exp(-(x0*y0 + x1*y1))"
    assert division["inputs"] == "x0, #8" and division["local"] == "∂/∂x0 = 20.00; ∂/∂#8 = -400.00"


def test_a_named_output_names_the_answers():
    x = Value(2, "x")
    loss = Value.apply("mul", x, x, label="L")
    loss.backward()
    assert answers(loss.trace()) == [("L", "4"), ("∂L/∂x", "4")]


def test_long_subformulas_are_referred_to_by_id():
    x = Value(0.1, "x")
    y = x
    for _ in range(2000):  # a deep chain must neither recurse nor build quadratic text
        y = y.sin()
    y.backward()
    rows = node_rows(y.trace())
    assert max(len(row["node"]) for row in rows) < 60
    last = rows[-1]["node"]
    referred = int(last.split("#")[1].rstrip(")"))
    assert last == "sin(" * (len(rows) - 1 - referred) + f"#{referred}" + ")" * (len(rows) - 1 - referred)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_latex_compiles_with_every_op_of_the_table(tmp_path):
    a, b = Value(0.7, "a_1"), Value(1.3, "50%")
    total = None
    for name, op in OPS.items():
        node = Value.apply(name, *(a, b)[: op.arity])
        total = node if total is None else total + node
    total.backward()
    document = "\n".join([r"\documentclass{article}", r"\usepackage{booktabs}",
                          r"\usepackage[a2paper,landscape]{geometry}", r"\begin{document}",
                          to_latex(total.trace(formula="every op & 100% #1")), r"\end{document}"])
    (tmp_path / "table.tex").write_text(document)
    result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "table.tex"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout[-2000:]
    assert (tmp_path / "table.pdf").read_bytes().startswith(b"%PDF-")
