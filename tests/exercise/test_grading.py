"""Grading: right, wrong, another rounding convention, decimal commas, missing and malformed files."""

from pathlib import Path

import pytest

from graphlab.exercise import load
from graphlab.exercise.answers import read_answers
from graphlab.exercise.grading import grade

LECTURE = """student = "Иванова"
f = 20.00
[grad]
x0 = 40
x1 = -40
y0 = 20
y1 = -20
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def statuses(result):
    return {m.quantity.key: m.status for m in result.marks}


def test_all_correct(tmp_path):
    result = grade(load("variant-2"), read_answers(write(tmp_path, "a.toml", LECTURE)))
    assert (result.right, result.asked, result.student) == (5, 5, "Иванова")
    assert "score: 5/5 (100%)" in result.to_text()


def test_one_wrong_node_and_expected_only_on_request(tmp_path):
    text = LECTURE.replace("y1 = -20", "y1 = 20") + "[nodes]\n8 = { value = 0.05, grad = -400 }\n"
    result = grade(load("variant-2"), read_answers(write(tmp_path, "a.toml", text)))
    assert statuses(result) == {"f": "right", "df/dx0": "right", "df/dx1": "right", "df/dy0": "right",
                                "df/dy1": "wrong", "#8": "right", "df/d#8": "right"}
    assert (result.right, result.asked) == (4, 5)  # nodes are checked but not asked here
    assert "expected" not in result.to_text()
    assert "expected -20.00" in result.to_text(show_expected=True)


def test_exact_arithmetic_is_recognised_as_another_convention(tmp_path):
    """The lecture's exact values (20.09, 40.17 …) are what "round only the final answers" gives."""
    text = "f = 20.09\n[grad]\nx0 = 40.17\nx1 = -40.17\ny0 = 20.09\ny1 = -20.09\n"
    result = grade(load("variant-2"), read_answers(write(tmp_path, "a.toml", text)))
    assert result.right == 0
    assert all(m.hint == "matches if only the final answers are rounded" for m in result.marks)
    assert "All your answers match if only the final answers are rounded" in result.hint


def test_sigmoid_neuron_exact_gradients_hint(tmp_path):
    """cs231n's published ∂x0 = 0.39 is right in exact arithmetic; rounded every node it is 0.40."""
    text = "f = 0.73\n[grad]\nw0 = -0.2\nx0 = 0.39\nw1 = -0.39\nx1 = -0.59\nw2 = 0.2\n"
    result = grade(load("cs231n-sigmoid-neuron"), read_answers(write(tmp_path, "a.toml", text)))
    wrong = {m.quantity.key: m.hint for m in result.marks if m.status == "wrong"}
    assert set(wrong) == {"df/dx0", "df/dw1", "df/dx1"}
    assert set(wrong.values()) <= {"matches if only forward values are rounded (gradients kept exact)",
                                   "matches if only the final answers are rounded"}


def test_decimal_commas_in_toml_and_csv(tmp_path):
    toml = 'f = "20,00"\n[grad]\nx0 = "40,0"\nx1 = "−40"\ny0 = 20\ny1 = "-20,00"\n'
    csv_semicolon = "quantity;answer\nf;20,00\ndf/dx0;40\n∂f/∂x1;-40,00\ndf/dy0;20\ndf/dy1;-20\n"
    csv_comma = "f,20,00\ndf/dx0,40\ndf/dx1,-40\ndf/dy0,20\ndf/dy1,-20\n"
    for name, text in [("a.toml", toml), ("b.csv", csv_semicolon), ("c.csv", csv_comma)]:
        result = grade(load("variant-2"), read_answers(write(tmp_path, name, text)))
        assert result.right == 5, name


def test_missing_answers(tmp_path):
    result = grade(load("variant-2"), read_answers(write(tmp_path, "a.toml", "f = 20\n[grad]\nx0 = 40\n")))
    assert statuses(result) == {"f": "right", "df/dx0": "right", "df/dx1": "missing",
                                "df/dy0": "missing", "df/dy1": "missing"}
    assert result.score == pytest.approx(0.4)


@pytest.mark.parametrize("text, line, fragment", [
    ("f = 20\n[grad]\nx0 = \"forty\"\n", 3, "'forty' is not a number"),
    ("f = 20\n[grad]\nx0 = true\n", 3, "expected a number"),
    ("f = 20\n[grad]\nx0 = ?\n", 3, "'?' is not a number"),
    ("f = 20\n[grad]\nx0 = 40\nx0 = 41\n", 4, "answered twice"),
])
def test_a_bad_cell_costs_that_quantity_only(tmp_path, text, line, fragment):
    result = grade(load("variant-2"), read_answers(write(tmp_path, "a.toml", text)))
    marks = {m.quantity.key: m for m in result.marks}
    assert marks["f"].status == "right"
    assert marks["df/dx0"].status == "unreadable" and fragment in marks["df/dx0"].hint
    assert marks["df/dx0"].line == line and marks["df/dx0"].points == 0


def test_a_decimal_comma_without_quotes_is_read_line_by_line(tmp_path):
    answers = read_answers(write(tmp_path, "a.toml", "f = 20,00\n[grad]\nx0 = 40,0\nx1 = -40\n"))
    assert {k: str(a.number) for k, a in answers.values.items()} == {"f": "20.00", "df/dx0": "40.0", "df/dx1": "-40"}
    assert answers.notes and "read line by line" in answers.notes[0]
    assert grade(load("variant-2"), answers).right == 3


def test_a_name_that_is_no_quantity_is_noted_and_the_rest_graded(tmp_path):
    result = grade(load("variant-2"), read_answers(write(tmp_path, "a.toml", "f = 20\ng = 3\n[grad]\nx0 = 40\n")))
    assert result.right == 2
    assert any(note.startswith("line 2: 'g' is not a quantity") for note in result.ungraded)


def test_an_input_the_exercise_does_not_have_is_noted_with_its_line(tmp_path):
    result = grade(load("variant-2"), read_answers(write(tmp_path, "a.toml", "f = 20\n[grad]\nx0 = 40\nz9 = 1\n")))
    assert result.right == 2
    assert result.ungraded == ["line 4: df/dz9 is not a quantity of this exercise; it has f, df/dx0, df/dx1, "
                               "df/dy0, df/dy1"]


def test_rounded_local_derivatives_are_recognised(tmp_path):
    """cs231n's staged example at x = −2, y = 2, worked by hand with 2 decimals.

    Forward: σ(y) = 0.88, x + σ(y) = −1.12, σ(x) = 0.12, (x + y)² = 0, so the
    denominator is 0.12 and f = −9.33. Backward: 1/0.12 = 8.33 to the numerator
    and 1.12/0.12² = 77.78 to σ(x). σ's local derivative is 0.12·0.88 = 0.1056:
    kept exact (the exercise's rule) it gives 77.78·0.1056 = 8.21, so
    ∂f/∂x = 8.33 + 8.21 = 16.54 and ∂f/∂y = 8.33·0.1056 = 0.88; rounded to 0.11
    first, it gives 8.56, so ∂f/∂x = 16.89 and ∂f/∂y = 0.92.
    """
    exercise = load("cs231n-staged").with_inputs({"x": -2, "y": 2})
    right = grade(exercise, read_answers(write(tmp_path, "a.toml", "f = -9.33\n[grad]\nx = 16.54\ny = 0.88\n")))
    assert [m.status for m in right.marks if m.scored and m.answer] == ["right"] * 3
    rounded = grade(exercise, read_answers(write(tmp_path, "b.toml", "f = -9.33\n[grad]\nx = 16.89\ny = 0.92\n")))
    hints = {m.quantity.key: m.hint for m in rounded.marks if m.status == "wrong"}
    assert hints == {"df/dx": "matches if local derivatives are rounded too",
                     "df/dy": "matches if local derivatives are rounded too"}
    assert rounded.hint.startswith("All your answers match if local derivatives are rounded too")
