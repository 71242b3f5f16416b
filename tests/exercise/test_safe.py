"""Untrusted names and text: safe as file names, in a terminal and in a spreadsheet; path-like ids refused."""

from __future__ import annotations

import os

import pytest

from graphlab.cli import main
from graphlab.exercise import load, loads
from graphlab.exercise.file import ExerciseError
from graphlab.exercise.safe import csv_cell, file_name, terminal
from graphlab.exercise.variants import Variant

EXERCISE = '''id = {id}
[formula]
python = "x * y"
[inputs]
x = 1
y = 2
[variants]
x = [1, 5]
'''


@pytest.mark.parametrize("text, name", [
    ("../../x", "x"), ("/abs/path", "abs_path"), ("..", "unnamed"), ("a/../../b", "a_b"), (".hidden", "hidden"),
    ("Иванова А.", "Иванова А"), ("CON", "_CON"), ("nul.txt", "_nul.txt"), ("a\x00b\x1bc", "a_b_c"),
    ("x" * 300, "x" * 80), ("C:\\Windows\\evil", "C_Windows_evil"), ("\u202eexe.txt", "exe.txt"),
])
def test_file_name_keeps_one_safe_component(text, name):
    assert file_name(text) == name
    assert os.sep not in file_name(text) and ".." not in file_name(text)


@pytest.mark.parametrize("ident", ['"../../x"', '"/abs/path"', '".."', '"a\\\\b"', '".hidden"'])
def test_an_exercise_id_that_is_a_path_is_refused(ident):
    with pytest.raises(ExerciseError, match="must be usable as a file name") as caught:
        loads(EXERCISE.format(id=ident), "ex.toml")
    assert caught.value.line == 1 and caught.value.field == "id"


def test_writers_keep_every_file_inside_out(tmp_path, capsys):
    """Even an exercise built in Python with a path for an id writes only inside --out."""
    from dataclasses import replace

    from graphlab.exercise.handouts import write_set

    exercise = replace(loads(EXERCISE.format(id='"safe"')), id="../../escaped")
    written = write_set([Variant(None, exercise)], tmp_path / "out", ("md",))
    assert all(tmp_path / "out" in p.parents for p in written)
    assert not (tmp_path.parent / "escaped").exists()
    assert Variant(3, exercise).slug == "escaped-v03"


def test_terminal_shows_control_characters_escaped():
    assert terminal("Ann\x1b[2J\x07\u202e") == "Ann\\x1b[2J\\x07\\u202e"
    assert terminal("two\nlines\tand tab") == "two\\nlines\\tand tab"
    assert terminal("Иванова") == "Иванова"


@pytest.mark.parametrize("cell, shown", [
    ('=HYPERLINK("x")', '\'=HYPERLINK("x")'), ("+1+2", "'+1+2"), ("@SUM(A1)", "'@SUM(A1)"), ("-2+3", "'-2+3"),
    ("\t=1", "\\t=1"), ("-40.00", "-40.00"), ("-0,5", "-0,5"), ("+3", "+3"), ("Ann", "Ann"), (5, 5),
])
def test_csv_cells_that_would_run_as_formulas_are_text(cell, shown):
    assert csv_cell(cell) == shown


def test_load_reads_only_toml_names_and_bundled_ids(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "variant-2").write_text("not an exercise")
    (tmp_path / "mine").write_text(EXERCISE.format(id='"mine"'))
    assert load("variant-2").id == "variant-2"  # the bundled one, not the file called like it
    with pytest.raises(ExerciseError, match=r"an exercise file's name ends in \.toml"):
        load("mine")
    assert main(["key", "mine"]) == 2 and "ends in .toml" in capsys.readouterr().err
    (tmp_path / "mine.toml").write_text(EXERCISE.format(id='"mine"'))
    assert load("mine.toml").id == "mine"
