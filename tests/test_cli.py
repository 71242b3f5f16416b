"""`graphlab solve`: the lecture's exercise end to end, every format, and errors without tracebacks."""

import contextlib
import json
import os
import subprocess
import sys

import pytest

from graphlab.cli import main

EXERCISE = "x0 / exp(-(x0*y0 + x1*y1))"
AT = ["--at", "x0=1", "--at", "x1=-1", "--at", "y0=1", "--at", "y1=-2"]


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_bundled_exercise_table_shows_the_rounded_answers(capsys):
    status, out, _ = run(capsys, "solve", "variant-2")
    assert status == 0
    for expected in ("20.00", "40.00", "-40.00", "-20.00", "0.05", "-400.00"):
        assert expected in out


def test_formula_json_has_value_grads_rounding_and_nodes(capsys):
    status, out, _ = run(capsys, "solve", EXERCISE, *AT, "--round", "2", "--format", "json")
    assert status == 0
    assert '"value": 20.00' in out and '"x0": 40.00' in out
    data = json.loads(out)
    assert data["grads"] == {"x0": 40.0, "y0": 20.0, "x1": -40.0, "y1": -20.0}
    assert data["rounding"]["decimals"] == 2 and len(data["nodes"]) == 10


def test_latex_and_python_give_the_same_answer(capsys):
    _, python, _ = run(capsys, "solve", EXERCISE, *AT, "--round", "2", "--format", "json")
    _, latex, _ = run(capsys, "solve", r"\frac{x_0}{e^{-(x_0y_0+x_1y_1)}}", *AT, "--round", "2", "--format", "json")
    assert json.loads(python)["grads"] == json.loads(latex)["grads"]


def test_exact_mode_and_wrt(capsys):
    _, out, _ = run(capsys, "solve", "variant-2", "--exact", "--wrt", "x0,y1", "--format", "json")
    data = json.loads(out)
    assert set(data["grads"]) == {"x0", "y1"}
    assert data["grads"]["x0"] == pytest.approx(40.171073846375336)


@pytest.mark.parametrize("fmt, marker", [("markdown", "|"), ("latex", "\\begin{tabular}")])
def test_handout_formats(capsys, fmt, marker):
    status, out, _ = run(capsys, "solve", "variant-2", "--format", fmt)
    assert status == 0 and marker in out and "20.00" in out


def test_render_writes_the_diagram(capsys, tmp_path):
    target = tmp_path / "f.SVG"  # suffixes are read case-insensitively
    status, _, err = run(capsys, "solve", "variant-2", "--render", str(target))
    assert status == 0 and f"wrote {target} (the diagram as SVG" in err
    assert "<svg" in target.read_text()[:500] and "Вариант 2" in target.read_text()  # the exercise's heading


@pytest.mark.parametrize("name, marker", [("f.json", '"x0": 40.00'), ("f.md", "| id |"), ("f.txt", "┌"),
                                          ("f.tex", "\\begin{tikzpicture}")])
def test_render_writes_every_format_of_the_registry(capsys, tmp_path, name, marker):
    status, out, err = run(capsys, "solve", "variant-2", "--wrt", "x0", "--render", str(tmp_path / name))
    assert status == 0 and "wrote" in err
    text = (tmp_path / name).read_text()
    assert marker in text and "20.00" in text
    if name != "f.tex":
        assert "y1" not in text.split("\n")[-3]  # only the gradient asked for is reported




@pytest.mark.parametrize("argv, expected", [
    (["solve", "x0 / * y0", "--at", "x0=1", "--at", "y0=1"], "^"),
    (["solve", "x0 * y0", "--at", "x0=1"], "no value given for y0"),
    (["solve", "x0 * y0", "--at", "x0=1", "--at", "y0=1", "--at", "z=2"], "z is not an input"),
    (["solve", "log(x)", "--at", "x=-1"], "log of a non-positive number"),
    (["solve", "x", "--at", "x=abc"], "'abc' is not a number"),
    (["solve", "x", "--at", "x=1", "--wrt", "q"], "no input named q"),
    (["solve", "x", "--at", "x=1", "--round", "2", "--exact"], "contradict"),
    (["solve", "nope.toml"], "no such exercise file"),
])
def test_bad_input_is_one_message_and_exit_2(capsys, tmp_path, argv, expected):
    target = tmp_path / "never.svg"
    status, _, err = run(capsys, *argv, "--render", str(target))
    assert status == 2
    assert expected in err and "Traceback" not in err
    assert not target.exists()


def test_console_script_without_graphviz_still_writes_the_dot_file(tmp_path):
    env = {**os.environ, "PATH": os.path.dirname(sys.executable)}  # no `dot` on PATH
    target = tmp_path / "f.png"
    result = subprocess.run([sys.executable, "-m", "graphlab", "solve", "variant-2", "--render", str(target)],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 2
    assert "20.00" in result.stdout
    assert "graphviz" in result.stderr.lower() and "Traceback" not in result.stderr
    assert (tmp_path / "f.dot").is_file() and not target.exists()


def test_a_closed_pipe_is_not_an_error():
    long_formula = " + ".join(["sin(x)"] * 150)  # its JSON is larger than a pipe's buffer
    reader = subprocess.Popen([sys.executable, "-m", "graphlab", "solve", long_formula, "--at", "x=1",
                               "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.read(10)
    reader.stdout.close()
    _, err = reader.communicate()
    assert reader.returncode == 0 and b"Traceback" not in err


@pytest.mark.parametrize("argv, expected", [
    (["solve", "x", "--at", "x=1", "--gradient", "nan"], "not a finite number"),
    (["solve", "x", "--at", "x=1", "--convention", "local_too"], "give --round N"),
])
def test_options_that_cannot_work_are_refused(capsys, argv, expected):
    with pytest.raises(SystemExit) if "--gradient" in argv else contextlib.nullcontext():
        status, _, err = run(capsys, *argv)
        assert status == 2 and expected in err
    if "--gradient" in argv:
        assert expected in capsys.readouterr().err


def test_a_wrong_diagram_suffix_is_refused_before_anything_is_printed(capsys, tmp_path):
    status, out, err = run(capsys, "solve", "variant-2", "--render", str(tmp_path / "f.xyz"))
    assert status == 2 and out == ""
    assert f"{tmp_path / 'f.xyz'}: cannot write '.xyz' files; use one of .dot, .gv, .svg" in err


def test_an_unwritable_diagram_path_is_a_message(capsys):
    status, _, err = run(capsys, "solve", "variant-2", "--render", "/proc/no/such/f.dot")
    assert status == 2 and "/proc/no/such/f.dot: cannot write there" in err and "Traceback" not in err


def test_a_file_in_the_way_of_the_folder_is_named_with_the_target(capsys, tmp_path):
    (tmp_path / "file").write_text("not a folder")
    target = tmp_path / "file" / "f.svg"
    status, _, err = run(capsys, "solve", "variant-2", "--render", str(target))
    assert status == 2 and f"graphlab solve: {target}: cannot write there" in err and ".tmp" not in err


def test_a_bare_input_reports_the_requested_rounding(capsys):
    _, out, _ = run(capsys, "solve", "x", "--at", "x=1.234", "--round", "2", "--format", "json")
    assert '"value": 1.23' in out and json.loads(out)["rounding"]["decimals"] == 2


def test_tui_overrides_apply_on_top_of_the_exercise_rule(monkeypatch):
    import graphlab.cli.tui_command
    import graphlab.tui

    opened = {}
    monkeypatch.setattr(graphlab.tui, "explore", lambda problem: opened.update(policy=problem.policy))
    monkeypatch.setattr(graphlab.cli.tui_command, "interactive", lambda: True)
    assert main(["tui", "variant-2", "--ties", "even"]) == 0
    assert (opened["policy"].decimals, opened["policy"].ties) == (2, "even")
