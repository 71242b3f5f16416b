"""The command line as a new user meets it: help with examples, completion, typos, odd terminals, saved traces."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

from graphlab.cli import build_parser, main

SUBCOMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def graphlab(*argv: str, env: dict[str, str] | None = None, cwd=None) -> subprocess.CompletedProcess:
    """The console command in a fresh interpreter, output as bytes (to check their encoding)."""
    return subprocess.run([sys.executable, "-m", "graphlab", *argv], capture_output=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=60)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_explains_itself_with_an_example_that_parses(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    usage, description = out.split("\n\n")[:2]
    assert usage.startswith(f"usage: graphlab {name}") and len(description.split()) >= 8
    example = out.split("example:\n", 1)[1].strip().splitlines()[0].split("  #")[0]
    words = shlex.split(example)
    if words[0] == "eval":  # eval "$(graphlab completion bash)"
        words = shlex.split(words[1].removeprefix("$(").removesuffix(")"))
    assert words[:2] == ["graphlab", name]
    build_parser().parse_args(words[1:])  # exits with status 2 if the example does not parse


def test_the_top_level_help_lists_every_subcommand(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in SUBCOMMANDS)


# -- completion -----------------------------------------------------------------------------------


def completions(line: str, tmp_path) -> list[str]:
    """What the shell would offer after ``line``, asked as bash asks argcomplete."""
    answer = tmp_path / "completions"
    result = graphlab(env={"_ARGCOMPLETE": "1", "_ARGCOMPLETE_SHELL": "bash", "COMP_LINE": line,
                           "COMP_POINT": str(len(line)), "_ARGCOMPLETE_STDOUT_FILENAME": str(answer),
                           "_ARGCOMPLETE_IFS": "\n"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    return sorted(word.strip() for word in answer.read_text().split("\n"))


def test_the_shell_completes_subcommands_options_and_exercise_ids(tmp_path):
    assert completions("graphlab so", tmp_path) == ["solve"]
    assert completions("graphlab solve vari", tmp_path) == ["variant-2"]
    assert "--convention" in completions("graphlab solve variant-2 --con", tmp_path)
    assert completions("graphlab grade w0", tmp_path)[:2] == ["w01-add", "w02-sub"]
    (tmp_path / "trace.json").write_text("{}")
    assert "trace.json" in completions("graphlab tui tra", tmp_path)


def test_completion_prints_the_shell_code(capsys):
    status, out, _ = run(capsys, "completion", "bash")
    assert status == 0 and "complete" in out and "graphlab" in out


# -- a mistyped exercise id ---------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["variant2", "varaint-2", "Variant-2"])
@pytest.mark.parametrize("command", ["solve", "tui", "serve"])
def test_an_id_close_to_a_bundled_one_is_not_read_as_a_formula(capsys, typed, command):
    status, out, err = run(capsys, command, typed)
    assert status == 2 and out == ""
    assert err.startswith(f"graphlab {command}: '{typed}' is not a bundled exercise; did you mean variant-2?")


def test_a_word_with_its_value_given_is_a_formula_after_all(capsys):
    status, out, _ = run(capsys, "solve", "variant2", "--at", "variant2=3")
    assert status == 0 and "f = 3" in out


# -- output to any stream encoding --------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_the_table_survives_a_stream_that_cannot_encode_box_lines_or_partial_signs(encoding):
    result = graphlab("solve", "variant-2", env={"PYTHONIOENCODING": encoding, "COLUMNS": "100"})
    assert result.returncode == 0, result.stderr.decode(encoding)
    text = result.stdout.decode(encoding)  # a redirect into a file: bytes in the stream's encoding
    lines = text.splitlines()
    assert lines[1].startswith("+----+-------+") and lines[4].startswith("|  0 | input | x0")
    assert len({len(line) for line in lines[1:-5]}) == 1  # every row of the box as wide as the others
    assert "df/dx0 = 40.00" in lines and "f = 20.00" in lines


def test_cyrillic_titles_are_transliterated_on_a_latin_stream():
    result = graphlab("exercises", env={"PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 0
    assert result.stdout.decode("cp1252").splitlines()[0].split() == ["variant-2", "Variant", "2"]


def test_a_utf8_stream_is_untouched():
    result = graphlab("solve", "variant-2", env={"PYTHONIOENCODING": "utf-8", "COLUMNS": "100"})
    assert "┌────┬───────┬" in result.stdout.decode() and "∂f/∂x0 = 40.00" in result.stdout.decode()


# -- a narrow terminal --------------------------------------------------------------------------


@pytest.mark.parametrize("width", [50, 60, 80])
def test_a_narrow_terminal_drops_columns_instead_of_folding_headers(width):
    from graphlab.exercise import load
    from graphlab.render.tables import to_text_table

    text = to_text_table(load("variant-2").solve(), width=width)
    table = [line for line in text.splitlines() if line.startswith(("┌", "│", "├", "└"))]
    assert max(len(line) for line in table) <= width
    headers = [cell.strip() for cell in table[1].split("│")[1:-1]]
    assert headers[0] == "id" and {"node", "value", "gradient"} <= set(headers)
    assert all(h in ("id", "kind", "node", "op", "inputs", "value", "local", "local ∂", "gradient") for h in headers)
    assert "-400.00" in text and "∂f/∂x0 = 40.00" in text


# -- a saved trace --------------------------------------------------------------------------------


def test_a_saved_trace_shows_again_as_it_was_recorded(capsys, tmp_path):
    _, table, _ = run(capsys, "solve", "variant-2")
    _, saved, _ = run(capsys, "solve", "variant-2", "--format", "json")
    (tmp_path / "trace.json").write_text(saved)
    status, again, _ = run(capsys, "solve", str(tmp_path / "trace.json"))
    assert status == 0 and again.replace("Вариант 2 · ", "") == table.replace("Вариант 2 · ", "")
    status, markdown, _ = run(capsys, "solve", str(tmp_path / "trace.json"), "--format", "markdown", "--wrt", "x0")
    assert status == 0 and "- ∂f/∂x0 = 40.00" in markdown and "∂f/∂y1" not in markdown.split("\n\n")[-1]


def test_a_saved_trace_is_solved_again_with_other_inputs_or_rounding(capsys, tmp_path):
    _, saved, _ = run(capsys, "solve", "variant-2", "--format", "json")
    (tmp_path / "trace.json").write_text(saved)
    status, out, _ = run(capsys, "solve", str(tmp_path / "trace.json"), "--exact", "--format", "json")
    assert status == 0 and json.loads(out)["value"] == pytest.approx(20.0855369)
    status, out, _ = run(capsys, "solve", str(tmp_path / "trace.json"), "--at", "x0=2", "--format", "json")
    assert json.loads(out)["value"] == 100.0  # exp(-4) rounds to 0.02 under the exercise's rule


def test_a_saved_trace_without_a_formula_cannot_be_recomputed(capsys, tmp_path):
    _, saved, _ = run(capsys, "solve", "variant-2", "--format", "json")
    data = json.loads(saved)
    data["formula"] = None
    (tmp_path / "trace.json").write_text(json.dumps(data))
    status, out, err = run(capsys, "solve", str(tmp_path / "trace.json"), "--round", "3")
    assert status == 2 and out == "" and "records no formula" in err
    assert run(capsys, "solve", str(tmp_path / "trace.json"))[0] == 0


@pytest.mark.parametrize("content, expected", [("{not json", "line 1: not valid JSON"), (None, "broken.json: no such file")])
def test_a_trace_file_that_cannot_be_read_is_one_message(capsys, tmp_path, content, expected):
    path = tmp_path / "broken.json"
    if content is not None:
        path.write_text(content)
    status, out, err = run(capsys, "solve", str(path))
    assert status == 2 and out == "" and expected in err


# -- serving -------------------------------------------------------------------------------------


def test_serve_without_textual_serve_says_which_extra_to_install(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    status, out, err = run(capsys, "serve")
    assert status == 2 and "pip install 'graphlab[web]'" in err


def test_serve_on_a_port_in_use_is_a_message(capsys):
    pytest.importorskip("textual_serve")
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status, out, err = run(capsys, "serve", "--port", str(port))
    assert status == 2 and f"--port {port}: cannot listen there" in err


def test_serve_refuses_a_source_the_explorer_could_not_open(capsys, tmp_path):
    pytest.importorskip("textual_serve")
    status, out, err = run(capsys, "serve", str(tmp_path / "missing.json"))
    assert status == 2 and "missing.json: no such trace file" in err


def test_serve_passes_what_it_serves_on_to_the_explorer():
    from graphlab.cli.serve_command import tui_arguments

    args = build_parser().parse_args(["serve", "a*b", "--at", "a=2,b=3", "--round", "2", "--ties", "even"])
    assert tui_arguments(args) == ["a*b", "--at", "a=2,b=3", "--round", "2", "--ties", "even"]


def test_serve_takes_a_tensor_trace_and_refuses_rounding_it(capsys, tmp_path, monkeypatch):
    pytest.importorskip("textual_serve")
    import graphlab.tensor as gt
    from graphlab.cli import serve_command

    x = gt.tensor([1.0, 2.0], requires_grad=True)
    path = tmp_path / "net.json"
    gt.TensorTrace.from_tensor((x * 2.0).sum(), backward=True).save(path)
    assert run(capsys, "serve", str(path), "--exact")[0] == 2
    served = []
    monkeypatch.setattr(serve_command, "_free_port", lambda host, port: served.append((host, port)) or 8123)
    monkeypatch.setattr("textual_serve.server.Server.serve", lambda server: served.append(server.public_url))
    status, out, _ = run(capsys, "serve", str(path), "--host", "0.0.0.0", "--public-url", "http://lab-3:8123/")
    assert status == 0 and served == [("0.0.0.0", 8000), "http://lab-3:8123"]
    assert "the explorer is at http://lab-3:8123" in out
