"""Answers as students hand them in: encodings, line ends, plain text, Excel's habits, and graphlab.check."""

from __future__ import annotations

import codecs

import pytest

import graphlab
from graphlab.exercise.answers import AnswerFileError, read_answers

RIGHT = {"f": "20", "df/dx0": "40", "df/dx1": "-40", "df/dy0": "20", "df/dy1": "-20"}
CSV = "quantity;answer\r\nstudent;Смирнова Вера\r\n" + "".join(f"{k};{v},00\r\n" for k, v in RIGHT.items())


@pytest.mark.parametrize("encode, encoding", [
    (lambda t: t.encode("utf-8"), "utf-8"), (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8"),
    (lambda t: t.encode("cp1251"), "cp1251"), (lambda t: t.encode("utf-16"), "utf-16"),
])
def test_encodings_students_save_in(tmp_path, encode, encoding):
    (tmp_path / "a.csv").write_bytes(encode(CSV))
    answers = read_answers(tmp_path / "a.csv")
    assert (answers.student, answers.encoding, len(answers.values)) == ("Смирнова Вера", encoding, 5)
    assert graphlab.check("variant-2", answers).passed()


@pytest.mark.parametrize("text", [
    "f = 20\ndf/dx0: 40\n∂f/∂x1 -40\ndf/dy0;20\ndf/dy1\t-20\n",
    "# my answers\nf = 20  # the value\n[grad]\nx0 = 40\nx1 = −40,00\ny0 = 20\ny1 = -20\n",
    "student: Ann\r\nvariant: 1\r\nf, 20,00\r\ndf/dx0, 40\r\ndf/dx1, -40\r\ndf/dy0, 20\r\ndf/dy1, -20\r\n",
])
def test_plain_text_answers(tmp_path, text):
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    answers = read_answers(tmp_path / "a.txt")
    assert answers.problems == []
    assert graphlab.check("variant-2", answers).passed()


def test_excel_trailing_separators_and_a_too_long_line(tmp_path):
    text = "f;20,00;;\r\ndf/dx0;40;;\r\ndf/dx1;" + "1" * 5000 + "\r\nnonsense\r\n"
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    answers = read_answers(tmp_path / "a.csv")
    assert str(answers.values["f"].number) == "20.00" and answers.values["df/dx0"].readable
    assert not answers.values["df/dx1"].readable
    assert "line 3 has 5,007 characters; a line is read up to 1,000" in answers.values["df/dx1"].problem
    assert answers.problems == ["line 4: expected two columns, quantity;answer, got 'nonsense'"]


def test_what_refuses_a_whole_file(tmp_path):
    (tmp_path / "deep.toml").write_text("f = " + "[" * 100 + "]" * 100 + "\n")
    with pytest.raises(AnswerFileError, match="nested 100 deep"):
        read_answers(tmp_path / "deep.toml")
    (tmp_path / "big.csv").write_bytes(b"f;20\n" * 300_000)
    with pytest.raises(AnswerFileError, match="is larger than 1,048,576 bytes"):
        read_answers(tmp_path / "big.csv")
    (tmp_path / "a.docx").write_bytes(b"PK")
    with pytest.raises(AnswerFileError, match=r"answers are read from \.toml, \.csv, \.txt files"):
        read_answers(tmp_path / "a.docx")


def test_nodes_locals_and_products_in_toml(tmp_path):
    (tmp_path / "a.toml").write_text('[nodes]\n8 = { value = 0.05, grad = -400 }\n'
                                     '9 = { value = 20, local = { a = 20, b = -400 }, product = [20, -400] }\n')
    answers = read_answers(tmp_path / "a.toml")
    assert set(answers.values) == {"#8", "df/d#8", "#9", "d#9/da", "d#9/db", "df/d#9*d#9/da", "df/d#9*d#9/db"}
    result = graphlab.check("variant-2", answers)
    assert all(m.status == "right" for m in result.marks if not m.scored)


def test_graphlab_check_takes_a_mapping_a_file_or_a_variant(tmp_path):
    result = graphlab.check("variant-2", {"f": "20,00", "df/dx0": 40})
    assert (result.points, result.max_points, result.passed(), result.passed(0.4)) == (2, 5, False, True)
    assert "| ✓ | f | 20,00 |" in result._repr_markdown_()
    (tmp_path / "a.toml").write_text("f = 20\n")
    assert graphlab.check("variant-2", tmp_path / "a.toml").right == 1
    from graphlab.exercise import load
    from graphlab.exercise.variants import variant

    trace = variant(load("variant-2"), 4, "7").exercise.solve()
    assert graphlab.check("variant-2", {"f": trace.policy.format(trace.value)}, variant=4, seed="7").right == 1
    with pytest.raises(ValueError, match="give the seed"):
        graphlab.check("variant-2", {}, variant=4)
