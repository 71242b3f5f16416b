"""Hashed keys, the exercise commands end to end, handouts, schema errors and TikZ in Beamer."""

import csv
import re
import shutil
import subprocess

import pytest

from graphlab.cli import main
from graphlab.exercise import load, loads
from graphlab.exercise.answers import read_answers
from graphlab.exercise.file import ExerciseError
from graphlab.exercise.keys import make_key, read_key, to_toml

RIGHT = "f = 20\n[grad]\nx0 = 40\nx1 = -40\ny0 = 20\ny1 = -20\n"


def test_hashed_key_checks_without_revealing(tmp_path):
    key = make_key(load("variant-2"), iterations=1000, salt=b"0" * 16)
    text = to_toml(key)
    assert not any(answer in text for answer in ("20.00", "40.00", "= 20", "= 40", "= -20", "= -40"))
    (tmp_path / "key.toml").write_text(text)
    stored = read_key(tmp_path / "key.toml")
    answers = tmp_path / "a.toml"
    answers.write_text(RIGHT.replace("y1 = -20", 'y1 = "-20,001"').replace("x1 = -40", "x1 = 40"))
    verdicts = stored.check(read_answers(answers))
    assert verdicts == {"f": "right", "df/dx0": "right", "df/dx1": "wrong", "df/dy0": "right", "df/dy1": "right"}


def test_equal_numbers_hash_differently_across_exercises():
    """f = 20.00 in the lecture; an exercise with the same answer must not share its hash."""
    other = loads('id = "other"\n[formula]\npython = "x * y"\n[inputs]\nx = 4\ny = 5\n[rounding]\ndecimals = 2\n')
    a = make_key(load("variant-2"), iterations=1000, salt=b"0" * 16)
    b = make_key(other, iterations=1000, salt=b"0" * 16)
    assert other.solve().value == load("variant-2").solve().value == 20
    assert a.hashes["f"] != b.hashes["f"]


def test_cli_key_and_check(tmp_path, capsys):
    answers = tmp_path / "a.toml"
    answers.write_text(RIGHT)
    assert main(["key", "variant-2", "--hashed", "--out", str(tmp_path / "key.toml")]) == 0
    assert main(["check", "variant-2", str(answers), "--key", str(tmp_path / "key.toml")]) == 0
    assert "5/5 right" in capsys.readouterr().out
    assert main(["check", "w01-add", str(answers), "--key", str(tmp_path / "key.toml")]) == 2


def test_cli_grade_one_and_a_class(tmp_path, capsys):
    one = tmp_path / "class" / "ann.toml"
    one.parent.mkdir()
    one.write_text(RIGHT)
    (tmp_path / "class" / "bob.csv").write_text("f;20\ndf/dx0;40\n")
    (tmp_path / "class" / "eve.toml").write_text("f = 20\n[grad\n")
    assert main(["grade", "variant-2", str(one)]) == 0
    assert "score: 5/5" in capsys.readouterr().out
    scores = tmp_path / "scores.csv"
    assert main(["grade", "variant-2", str(one.parent), "--out", str(scores)]) == 3  # eve's file needs a look
    rows = {r["file"]: r for r in csv.DictReader(scores.open(encoding="utf-8-sig"))}
    assert (rows["ann.toml"]["right"], rows["bob.csv"]["right"], rows["bob.csv"]["missing"]) == ("5", "2", "df/dx1 df/dy0 df/dy1")
    assert rows["eve.toml"]["status"] == "flagged" and rows["eve.toml"]["right"] == "1"
    assert "line 2: expected a quantity and its answer" in rows["eve.toml"]["flags"]


@pytest.mark.parametrize("answers, fail_under, status", [
    (RIGHT, None, 0), (RIGHT.replace("x0 = 40", "x0 = 41"), None, 1), (RIGHT.replace("x0 = 40", "x0 = 41"), "80%", 0),
    (RIGHT.replace("x0 = 40", "x0 = 41"), "0.9", 1), ("f = 20\n", "0.2", 0),
])
def test_exit_status_an_autograder_can_use(tmp_path, capsys, answers, fail_under, status):
    (tmp_path / "a.toml").write_text(answers)
    extra = ["--fail-under", fail_under] if fail_under else []
    assert main(["grade", "variant-2", str(tmp_path / "a.toml"), *extra]) == status
    assert main(["grade", "variant-2", str(tmp_path / "missing.toml")]) == 2


def test_check_exits_1_when_an_answer_is_wrong(tmp_path, capsys):
    assert main(["key", "variant-2", "--hashed", "--out", str(tmp_path / "key.toml")]) == 0
    (tmp_path / "a.toml").write_text(RIGHT.replace("y1 = -20", "y1 = ?"))
    assert main(["check", "variant-2", str(tmp_path / "a.toml"), "--key", str(tmp_path / "key.toml")]) == 1
    out = capsys.readouterr().out
    assert "? df/dy1     unreadable; '?' is not a number" in out and "4/5 right" in out


def test_cli_grade_a_variant(tmp_path, capsys):
    from graphlab.exercise.variants import variant

    exercise = variant(load("variant-2"), 4, seed="7").exercise
    trace = exercise.solve()
    lines = ["variant = 4", f"f = {trace.policy.format(trace.value)}", "[grad]"]
    lines += [f"{n} = {trace.policy.format(g)}" for n, g in trace.grads().items()]
    (tmp_path / "a.toml").write_text("\n".join(lines) + "\n")
    assert main(["grade", "variant-2", str(tmp_path / "a.toml"), "--seed", "7"]) == 0
    assert "score: 5/5" in capsys.readouterr().out
    assert main(["grade", "variant-2", str(tmp_path / "a.toml")]) == 2  # no seed: cannot rebuild variant 4


def svg_text(path) -> str:
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text()))


def test_cli_variants_and_handout(tmp_path, capsys):
    assert main(["exercises"]) == 0
    assert capsys.readouterr().out.startswith("variant-2")
    assert main(["variants", "variant-2", "--count", "3", "--seed", "1", "--out", str(tmp_path / "v")]) == 0
    assert "Вариант 3" in capsys.readouterr().out
    assert load(tmp_path / "v" / "variant-2-v02.toml").solve()
    assert main(["handout", "variant-2", "--count", "2", "--seed", "1", "--out", str(tmp_path / "h"),
                 "--format", "svg,md,tex"]) == 0
    for name in ("worksheet.svg", "key.svg", "worksheet.md", "key.md", "graph.tex"):
        assert (tmp_path / "h" / "v02" / name).stat().st_size > 0
    worksheet = svg_text(tmp_path / "h" / "v01" / "worksheet.svg")  # text only: coordinates hold digits too
    key = svg_text(tmp_path / "h" / "v01" / "key.svg")
    value = load(tmp_path / "v" / "variant-2-v01.toml").solve()
    digits = value.policy.format(abs(value.value))
    assert digits in key and digits not in worksheet
    assert main(["handout", "variant-2", "--out", str(tmp_path / "x"), "--format", "docx"]) == 2


@pytest.mark.parametrize("text, line, field", [
    ('id = "a"\n[formula]\npython = "x"\n[inputs]\nx = 1\n[variants]\nx = [3, 1]\n', 7, "variants.x"),
    ('id = "a"\n[formula]\npython = "x"\n[inputs]\nx = 1\n[variants]\nq = [0, 1]\n', 7, "variants.q"),
    ('id = "a"\n[formula]\npython = "x"\n[inputs]\nx = 1\n[variants]\nx = [0.25, 1.0]\n', 7, "variants.x"),
    ('id = "a"\n[formula]\npython = "x"\n[inputs]\nx = 1\n[rounding]\ndecimals = "two"\n', 7, "rounding.decimals"),
    ('id = "a"\n[formula]\npython = "x"\n[inputs]\nx = 1\n[report]\nwrt = ["y"]\n', 7, "report.wrt"),
])
def test_schema_errors_name_file_line_and_field(text, line, field):
    with pytest.raises(ExerciseError) as caught:
        loads(text, "ex.toml")
    assert (caught.value.line, caught.value.field) == (line, field)
    assert str(caught.value).startswith(f"ex.toml:{line}: {field}:")


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_tikz_compiles_in_a_beamer_frame_with_three_overlays(tmp_path):
    from graphlab.render.tikz import to_tikz

    (tmp_path / "graph.tex").write_text(to_tikz(load("variant-2").solve(), "overlays"))
    (tmp_path / "deck.tex").write_text("\\documentclass{beamer}\n\\usepackage{tikz}\n\\begin{document}\n"
                                       "\\begin{frame}{Variant 2}\\centering\\input{graph.tex}\\end{frame}\n"
                                       "\\end{document}\n")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "deck.tex"], check=False,
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    assert "Output written on deck.pdf (3 pages" in run.stdout
