"""Exercise files: the bundled lecture exercise, and errors that name file:line and field."""

import pytest

from graphlab.exercise import DEFAULT, ExerciseError, bundled, bundled_dir, load, loads

VALID = """\
id = "demo"
title = "Demo"

[formula]
python = "x * y"

[inputs]
x = 2
y = 3

[rounding]
decimals = 2
"""


def test_the_lecture_exercise_is_bundled_and_solves_to_the_expected_answer():
    exercise = load(DEFAULT)
    assert exercise.id == "variant-2"
    assert exercise.inputs == {"x0": 1.0, "x1": -1.0, "y0": 1.0, "y1": -2.0}
    assert "Для заданной функции" in exercise.statement["ru"] and "Draw the" in exercise.statement["en"]
    trace = exercise.solve()
    assert trace.value == 20.0
    assert trace.grads(exercise.wrt) == {"x0": 40.0, "x1": -40.0, "y0": 20.0, "y1": -20.0}


def test_file_names_match_ids():
    for path in bundled_dir().glob("*.toml"):
        assert load(path).id == path.stem


@pytest.mark.parametrize("change, line, field, expected", [
    (('decimals = 2', 'decimals = "two"'), 12, "rounding.decimals", "whole number"),
    (('y = 3', 'y = "three"'), 9, "inputs.y", "finite number"),
    (('y = 3', 'z = 3'), 7, "inputs", "no value for y"),
    (('[rounding]', '[rounding]\nconvention = "nearest"'), 12, "rounding.convention", "every_node"),
    (('title = "Demo"', 'titel = "Demo"'), 2, "titel", "unknown field"),
    (('python = "x * y"', 'python = "x * "'), 5, "formula.python", "column"),
    (('x = 2', 'x = 2\nx = 3'), 9, "TOML", "Cannot overwrite"),
])
def test_errors_name_the_line_and_the_field(change, line, field, expected):
    text = VALID.replace(*change)
    with pytest.raises(ExerciseError) as err:
        loads(text, "demo.toml")
    assert err.value.line == line, str(err.value)
    assert err.value.field == field
    assert expected in str(err.value)
    assert str(err.value).startswith(f"demo.toml:{line}: ")


def test_python_and_latex_forms_must_agree():
    text = VALID.replace('python = "x * y"', 'python = "x * y"\nlatex = "x + y"')
    with pytest.raises(ExerciseError, match="reads as x \\+ y"):
        loads(text, "demo.toml")


def test_unknown_exercise_suggests_the_nearest():
    with pytest.raises(ExerciseError, match="Did you mean variant-2"):
        load("variant-3")


def test_the_lecture_exercise_is_listed_first():
    assert bundled()[0].id == DEFAULT


def test_the_wheel_ships_the_exercises(tmp_path):
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    pytest.importorskip("hatchling")
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-q",
                    "-w", str(tmp_path), str(root)], check=True, capture_output=True)
    names = zipfile.ZipFile(next(tmp_path.glob("graphlab-*.whl"))).namelist()
    shipped = {Path(n).name for n in names if n.startswith("graphlab/bundled_exercises/")}
    assert shipped == {p.name for p in (root / "exercises").glob("*.toml")}
    assert "graphlab/tui/app.tcss" in names


def test_a_latex_only_exercise_is_solved_as_latex():
    text = VALID.replace('python = "x * y"', 'latex = "x^2 y"')
    exercise = loads(text, "demo.toml")
    assert exercise.solve().value == 12.0  # x²·y at x = 2, y = 3


def test_a_statement_must_be_text():
    with pytest.raises(ExerciseError, match=r"statement\.ru: expected a non-empty string"):
        loads(VALID + '\n[statement]\nru = 5\n', "demo.toml")
