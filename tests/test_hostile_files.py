"""Every hostile file of tests/hostile/ and every hostile command line: one clear message, exit 2, nothing written.

The corpus holds one file per case of a malformed or unusual input: traces for
the explorer, exercise files, answers and hashed keys. Checkpoints are binary,
so tests/train/test_checkpoint_hostile.py builds its own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graphlab.cli import main
from graphlab.errors import InputError
from graphlab.exercise import load
from graphlab.trace_file import TraceError, read_trace

HOSTILE = Path(__file__).parent / "hostile"

TRACES = [
    ("cycle.json", "node 4: the nodes 4 → 6 → 4 form a cycle"),
    ("self-loop.json", "node 7: the node uses itself as its input"),
    ("dangling-input.json", "node 7.inputs: node 42 does not exist; ids go from 0 to 9"),
    ("negative-input.json", "node 7.inputs: node -1 does not exist"),
    ("output-999.json", "output: expected the id of a node, 0 to 9, got 999"),
    ("op-evil.json", "node 8.op: expected an operation of graphlab's table, got \"evil\""),
    ("bad-params.json", "node 8.params: exp has the parameters none, got p"),
    ("short-local.json", "node 9.local: expected a list of 2 numbers"),
    ("short-contributions.json", "node 9.contributions: expected a list of 2 numbers"),
    ("duplicate-ids.json", "nodes[5].id: id 4 is used twice"),
    ("deep-nesting.json", "JSON nested too deeply"),
    ("twin-inputs.json", "two inputs are named \"x0\" (nodes 0 and 1)"),
    ("wrong-arity.json", "node 9.inputs: div takes 2 inputs, got 1"),
    ("stated-value-differs.json", "value: states 21.0, but the output node 9 has 20.0"),
    ("not-a-trace.json", "output, rounding missing"),
    ("huge-integer.json", "a number written with more than 4,300 digits; a trace holds ids and floats"),
]

EXERCISES = [
    ("number-400-digits.toml", ":5: TOML: a number written with 400 digits; at most 100 are read"),
    ("integer-5000-digits.toml", ":5: TOML: a number written with 5000 digits"),
    ("range-1e308.toml", ":8: variants.x: expected bounds from -1,000,000 to 1,000,000, got [-1E+308, 1E+308]"),
    ("underflow-1e-400.toml", ":5: inputs.x: expected a finite number: 1E-400 is too small for a float"),
    ("overflow-1e400.toml", ":5: inputs.x: expected a finite number: 1E+400 is too large"),
    ("deep-nesting.toml", ": TOML: tables and arrays nested 5000 deep; at most 16 levels are read"),
    ("twice-the-same-input.toml", ":7: inputs.x_0: gives x0 a second value"),
    ("not-utf8.toml", ": file: is not UTF-8 text (byte 8, line 1)"),
]

ANSWERS = [  # a whole file refused: nothing graded, exit 2
    ("variant-abc.toml", ":1: variant: expected the variant's number (1, 2, …), got 'abc'"),
]
CELLS = [  # one cell refused: that quantity costs its points, the rest is graded (exit 1: not all right)
    ("answer-1e999999999.toml", "1E+999999999 is too large: a float holds at most ±1.8e+308"),
    ("answer-1e999999999-float.toml", "1E+999999999 is too large"),
    ("nul-byte.csv", "'20\\x00' is not a number"),
]
READ_LINE_BY_LINE = ["decimal-comma-unquoted.toml"]  # not TOML, but f = 20,00 is read as 20.00

KEYS = [
    ("iterations-0.toml", ":7: iterations: expected a whole number from 1,000 to 1,000,000 (graphlab writes 100,000), got 0"),
    ("iterations-negative.toml", ":7: iterations: expected a whole number from 1,000 to 1,000,000"),
    ("iterations-1e11.toml", ":7: iterations: expected a whole number from 1,000 to 1,000,000 (graphlab writes 100,000), "
                             "got 100000000000"),
    ("decimals-100.toml", ":4: decimals: expected a whole number from 0 to 12, got 100"),
    ("decimals-2.9.toml", ":4: decimals: expected a whole number from 0 to 12, got 2.9"),
    ("ties-junk.toml", ":5: ties: expected \"away\" or \"even\", got 'junk'"),
    ("variant-abc.toml", ":4: variant: expected the variant's number, 1 to 1,000, got 'abc'"),
    ("salt-not-hex.toml", ":8: salt: expected 16 to 128 hex digits"),
]


def run(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_message(status: int, err: str, expected: str) -> None:
    assert status == 2, err
    assert expected in err, err
    assert "Traceback" not in err and err.count("\n") <= 3  # a formula's message adds the text and a caret


def test_the_corpus_has_a_case_for_every_file():
    listed = {f"traces/{n}" for n, _ in TRACES} | {f"exercises/{n}" for n, _ in EXERCISES}
    listed |= {f"answers/{n}" for n, _ in ANSWERS + CELLS} | {f"keys/{n}" for n, _ in KEYS}
    listed |= {f"answers/{n}" for n in READ_LINE_BY_LINE}
    valid = {"traces/reversed.json", "traces/label-markup.json", "traces/nan-values.json",
             "exercises/byte-order-mark.toml", "answers/answer-1e300.toml", "keys/valid.toml"}
    on_disk = {p.relative_to(HOSTILE).as_posix() for p in HOSTILE.rglob("*") if p.is_file()}
    assert on_disk == listed | valid


@pytest.mark.parametrize("name, expected", TRACES)
def test_a_malformed_trace_is_one_message_from_the_explorer(capsys, name, expected):
    path = HOSTILE / "traces" / name
    with pytest.raises(TraceError) as error:
        read_trace(path)
    assert str(error.value).startswith(f"{path}: ")
    status, out, err = run(capsys, "tui", path)
    assert_one_message(status, err, expected)
    assert out == ""


@pytest.mark.parametrize("name", ["reversed.json", "label-markup.json", "nan-values.json"])
def test_unusual_but_valid_traces_load(name):
    trace = read_trace(HOSTILE / "traces" / name)
    assert [n.id for n in trace.nodes] == list(range(10))
    assert trace.nodes[9].inputs == [0, 8]


def test_a_trace_listed_in_reverse_order_is_the_same_trace():
    assert read_trace(HOSTILE / "traces" / "reversed.json").to_dict() == \
        read_trace(HOSTILE / "traces" / "reversed.json").to_dict()
    forward = read_trace(HOSTILE / "traces" / "reversed.json")
    assert forward.value == 20.0 and forward.grads() == {"x0": 40.0, "x1": -40.0, "y0": 20.0, "y1": -20.0}


def test_the_explorer_refuses_a_pipe_before_it_writes_anything(capsys):
    status, out, err = run(capsys, "tui", HOSTILE / "traces" / "reversed.json")
    assert_one_message(status, err, "the explorer runs in a terminal")
    assert out == ""


@pytest.mark.parametrize("name, expected", EXERCISES)
def test_a_malformed_exercise_file_is_one_message(capsys, tmp_path, name, expected):
    path = HOSTILE / "exercises" / name
    for argv in (["solve", path, "--render", tmp_path / "f.svg"], ["variants", path, "--out", tmp_path / "v"],
                 ["key", path, "--hashed", "--out", tmp_path / "key.toml"]):
        status, out, err = run(capsys, *argv)
        assert_one_message(status, err, f"{path}{expected}")
        assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_an_exercise_file_with_a_byte_order_mark_loads():
    assert load(HOSTILE / "exercises" / "byte-order-mark.toml").inputs == {"x": 1.0, "y": 2.0}


@pytest.mark.parametrize("name, expected", ANSWERS)
def test_a_malformed_answers_file_is_one_message(capsys, tmp_path, name, expected):
    path = HOSTILE / "answers" / name
    status, _, err = run(capsys, "grade", "variant-2", path)
    assert_one_message(status, err, f"{path}{expected}")
    status, _, err = run(capsys, "check", "variant-2", path, "--key", HOSTILE / "keys" / "valid.toml")
    assert_one_message(status, err, f"{path}{expected}")


@pytest.mark.parametrize("name, expected", CELLS)
def test_a_bad_cell_costs_that_quantity_with_its_line(capsys, name, expected):
    path = HOSTILE / "answers" / name
    status, out, err = run(capsys, "grade", "variant-2", path)
    assert status == 1 and err == "" and "Traceback" not in out
    line = next(line for line in out.splitlines() if "∂f" not in line and "unreadable" in line)
    assert expected in line
    status, out, _ = run(capsys, "check", "variant-2", path, "--key", HOSTILE / "keys" / "valid.toml")
    assert status == 1 and expected in out


def test_an_unquoted_decimal_comma_is_read_line_by_line(capsys):
    status, out, _ = run(capsys, "grade", "variant-2", HOSTILE / "answers" / "decimal-comma-unquoted.toml")
    assert status == 1 and "✓ f" in out and "read line by line" in out  # f right, the gradients missing


def test_a_huge_answer_is_graded_wrong_not_a_traceback(capsys):
    status, out, _ = run(capsys, "grade", "variant-2", HOSTILE / "answers" / "answer-1e300.toml", "--show-expected")
    assert status == 1 and "✗ f" in out and "expected 20.00" in out
    status, out, _ = run(capsys, "check", "variant-2", HOSTILE / "answers" / "answer-1e300.toml",
                         "--key", HOSTILE / "keys" / "valid.toml")
    assert status == 1 and "✗ f" in out


def test_a_class_folder_with_hostile_files_grades_the_rest(capsys, tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for name in [n for n, _ in ANSWERS + CELLS] + READ_LINE_BY_LINE:
        (folder / name).write_bytes((HOSTILE / "answers" / name).read_bytes())
    (folder / "ann.toml").write_text("f = 20\n[grad]\nx0 = 40\nx1 = -40\ny0 = 20\ny1 = -20\n")
    status, _, err = run(capsys, "grade", "variant-2", folder, "--out", tmp_path / "scores.csv")
    assert status == 3 and "graded 5 of 6 files; 0 flagged, 1 unreadable" in err
    rows = (tmp_path / "scores.csv").read_text(encoding="utf-8-sig").splitlines()
    assert any(row.startswith("ann.toml,ann,,,,graded,5,5,1.00,5,0,5") for row in rows)


@pytest.mark.parametrize("name, expected", KEYS)
def test_a_malformed_key_is_one_message(capsys, tmp_path, name, expected):
    answers = tmp_path / "a.toml"
    answers.write_text("f = 20\n")
    path = HOSTILE / "keys" / name
    status, _, err = run(capsys, "check", "variant-2", answers, "--key", path)
    assert_one_message(status, err, f"{path}{expected}")


# -- the command line ------------------------------------------------------------------------------


@pytest.mark.parametrize("argv, expected", [
    (["solve", "0*x*x*y", "--at", "x=1e300,y=1e300", "--round", "2"], "mul node 0*x*x: the gradient overflows to inf"),
    (["solve", "0*x*x*y", "--at", "x=1e300,y=1e300"], "mul node 0*x*x: the gradient overflows to inf"),
    (["solve", "x", "--at", "x=1e-400"], "--at 'x=1e-400': 1E-400 is too small for a float (it would read as 0)"),
    (["solve", "x", "--at", "x=1e999"], "--at 'x=1e999': 1E+999 is too large"),
    (["solve", "x", "--at", "x=" + "9" * 500], "a number written with 500 digits; at most 100 are read"),
    (["solve", r"\frac{x}{1e-3}", "--at", "x=1"],
     r"1e-3 is ambiguous: Python reads a number, LaTeX reads e as a letter. For the number write 10^{-3} or "
     r"1\times10^{-3}; for 1·e write 1\cdot e-3"),
    (["solve", "x", "--at", "x=1,5"], "the comma separates inputs (--at x=1,y=2), so 'x=1,5' gives '5' no name; "
                                      "for a decimal write a point: --at x=1.5"),
    (["solve", "x", "--at", "x=1", "--at", "x=2"], "--at: x is given twice ('x=1' and 'x=2')"),
    (["solve", "x + 1 # the rest", "--at", "x=1"], "'#' starts a comment, so 'the rest' would be ignored"),
    (["solve", "х + 1", "--at", "x=1"], "'х' (U+0445) where the other has a Latin one"),
])
def test_hostile_command_lines_are_one_message_and_write_nothing(capsys, tmp_path, argv, expected):
    status, out, err = run(capsys, *argv, "--render", tmp_path / "f.svg")
    assert_one_message(status, err, expected)
    assert out == "" and list(tmp_path.iterdir()) == []


def test_variant_0_is_refused_not_ignored(capsys, tmp_path):
    (tmp_path / "a.toml").write_text("f = 20\n")
    with pytest.raises(SystemExit):
        main(["grade", "variant-2", str(tmp_path / "a.toml"), "--variant", "0", "--seed", "1"])
    assert "variants are numbered 1, 2" in capsys.readouterr().err
    (tmp_path / "b.toml").write_text("variant = 1001\nf = 20\n")
    status, _, err = run(capsys, "grade", "variant-2", tmp_path / "b.toml", "--seed", "1")
    assert_one_message(status, err, "Вариант 1001: variants are numbered 1 to 1000; not graded")


@pytest.mark.parametrize("formula, value", [
    ("-x*log(x)", "0.00"),             # starts with '-': the formula, not an option
    ("|x|", "1.00"), ("$x+1$", "2.00"), ("x~+~1", "2.00"),
    ("(x + y) z", "2.00"),              # LaTeX's implicit product, where Python's reading fails
])
def test_formulas_the_python_reader_cannot_read_are_read_as_written(capsys, formula, value):
    status, out, err = run(capsys, "solve", formula, "--at", "x=1", *(["--at", "y=1", "--at", "z=1"]
                                                                      if "z" in formula else []),
                           "--round", "2", "--format", "json")
    assert status == 0, err
    assert f'"value": {value}' in out


def test_a_formula_is_not_read_from_a_file_named_like_it(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x+1").write_text('id = "trap"\n[formula]\npython = "x*1000"\n[inputs]\nx = 1\n')
    (tmp_path / "variant-2").write_text("not an exercise")
    status, out, _ = run(capsys, "solve", "x+1", "--at", "x=1", "--format", "json")
    assert status == 0 and '"value": 2.0' in out
    status, out, _ = run(capsys, "solve", "variant-2")
    assert status == 0 and "20.00" in out


def test_write_errors_name_the_file_asked_for(capsys, tmp_path):
    (tmp_path / "taken").mkdir()
    status, _, err = run(capsys, "key", "variant-2", "--out", tmp_path / "taken")
    assert_one_message(status, err, f"{tmp_path / 'taken'}: cannot write there (Is a directory)")
    assert ".graphlab-tmp" not in err and ".tmp" not in err
    (tmp_path / "file").write_text("")
    status, _, err = run(capsys, "key", "variant-2", "--out", tmp_path / "file" / "key.md")
    assert_one_message(status, err, f"{tmp_path / 'file' / 'key.md'}: cannot write there ({tmp_path / 'file'} is a file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "taken"] and not os.listdir(tmp_path / "taken")


def test_every_loader_error_is_an_input_error():
    from graphlab.exercise import ExerciseError
    from graphlab.exercise.answers import AnswerFileError
    from graphlab.exercise.keys import KeyFileError
    from graphlab.formula import FormulaError
    from graphlab.train.checkpoint import CheckpointError
    from graphlab.tui.problem import SourceError

    for error in (ExerciseError, AnswerFileError, KeyFileError, TraceError, CheckpointError, FormulaError, SourceError):
        assert issubclass(error, InputError)


def test_a_trace_too_large_for_the_explorer_is_refused_with_the_limit(capsys, tmp_path, monkeypatch):
    import graphlab.tui.problem as problem
    from graphlab import Value

    assert problem.MAX_NODES == 100_000
    monkeypatch.setattr(problem, "MAX_NODES", 2_000)  # the same check, on a file quick to build
    x = Value(0.5, "x")
    total = x
    for _ in range(1_000):
        total = total + x * 0.5
    total.backward()
    (tmp_path / "big.json").write_text(total.trace().to_json())
    status, _, err = run(capsys, "tui", tmp_path / "big.json")
    assert_one_message(status, err, "big.json: 3,001 nodes; the explorer opens graphs of at most 2,000 nodes")


def test_a_trace_beyond_the_size_limits_is_refused_unread(monkeypatch, tmp_path):
    import graphlab.trace_file as trace_file

    monkeypatch.setattr(trace_file, "MAX_NODES", 5)
    with pytest.raises(TraceError, match="nodes: 10 nodes; the explorer and the renderers read at most 5"):
        read_trace(HOSTILE / "traces" / "reversed.json")
    monkeypatch.setattr(trace_file, "MAX_TRACE_BYTES", 1000)
    with pytest.raises(TraceError, match=r"reversed\.json: is larger than 1,000 bytes"):
        read_trace(HOSTILE / "traces" / "reversed.json")


def test_an_exercise_file_beyond_the_size_limit_is_refused_unread(capsys, tmp_path):
    from graphlab.loading import MAX_TEXT_BYTES

    path = tmp_path / "big.toml"
    path.write_text('id = "big"\n# ' + "x" * MAX_TEXT_BYTES + "\n")
    status, _, err = run(capsys, "solve", path)
    assert_one_message(status, err, f"{path}: file: is larger than {MAX_TEXT_BYTES:,} bytes")
