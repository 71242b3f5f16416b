"""Fuzzing every loader: random and mutated files give a result or the project's own error, never another.

Each loader is fed text (or bytes) drawn at random and valid files mutated at
random — spans replaced by hostile tokens (huge exponents, NaN, deep brackets,
NUL, byte-order marks, look-alike letters), fields of a parsed document
replaced by random JSON values, bytes of an archive flipped. What a loader
accepts is then used the way the command line uses it (solved, graded,
checked, rendered, loaded into a model), which must not fail either. The
deadline of each example catches a hang.

``GRAPHLAB_FUZZ_EXAMPLES`` sets the examples per loader (default 120, a few
seconds each); run with ``--hypothesis-show-statistics`` to see them.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import zipfile
from pathlib import Path

import numpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphlab.errors import InputError
from graphlab.exercise import bundled_dir, load, loads
from graphlab.exercise.answers import read_answers
from graphlab.exercise.grading import grade
from graphlab.exercise.keys import make_key, read_key, to_toml
from graphlab.render.tables import to_text_table
from graphlab.rounding import RoundingPolicy
from graphlab.solve import solve
from graphlab.trace_file import parse_trace
from graphlab.value import EvaluationError

EXAMPLES = int(os.environ.get("GRAPHLAB_FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=3000,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HOSTILE_TOKENS = ["1e999999999", "-1e-400", "9" * 120, "NaN", "nan", "inf", "-Infinity", "[" * 40, "]" * 3,
                  "{", "}", '"', "'", "\\", "\0", "\ufeff", "=", ",", ";", "\n", "\r\n", "#", "true", "-0",
                  "1_0", "0x10", "é", "х", "𝑥", "\u202e", "[/]", "[bold]", "1e-3", "  ", "-", "999999", "null",
                  "[]", "{}", "0.05", "\"0,05\"", "[grad]", "[nodes]", "[variants]", "x0", "#5", "df/d#5"]

TEXT = st.text(st.characters(codec="utf-8"), max_size=300)


@st.composite
def mutated(draw, originals: list[str]) -> str:
    """One of ``originals`` with one to four spans replaced by hostile tokens or random text."""
    text = draw(st.sampled_from(originals))
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 30)))
        piece = draw(st.one_of(st.sampled_from(HOSTILE_TOKENS), st.text(max_size=8)))
        text = text[:start] + piece + text[end:]
    return text


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**30) | st.floats() | st.text(max_size=12)
    | st.sampled_from(["add", "pow", "div", "evil", "input", "op", "const", "every_node", "away"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12)


@st.composite
def mutated_document(draw, original: dict) -> dict:
    """``original`` with one to three values somewhere inside replaced, removed or added."""
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        parent, key = None, None
        node = data
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            parent, key = node, draw(st.sampled_from(keys))
            node = node[key]
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if parent is None or action == "add":
            target = node if isinstance(node, (dict, list)) else data
            if isinstance(target, dict):
                target[draw(st.text(max_size=8))] = draw(JSON_VALUES)
            else:
                target.insert(draw(st.integers(0, len(target))), draw(JSON_VALUES))
        elif action == "remove":
            del parent[key]
        else:
            parent[key] = draw(JSON_VALUES)
    return data


def accepted_or_ours(call):
    """Run ``call``: its result, or None if it raised the project's own error; any other exception fails."""
    try:
        return call()
    except InputError:
        return None


# -- exercise files --------------------------------------------------------------------------------

EXERCISE_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(bundled_dir().glob("*.toml"))[:12]]


def use_exercise(text: str) -> None:
    exercise = accepted_or_ours(lambda: loads(text, "fuzz.toml"))
    if exercise is not None:
        with contextlib.suppress(EvaluationError):  # inputs where the formula is undefined: a message of its own
            exercise.solve()


@FUZZ
@given(st.one_of(TEXT, mutated(EXERCISE_TEXTS)))
def test_fuzz_exercise_files(text):
    use_exercise(text)


# -- answers files ---------------------------------------------------------------------------------

ANSWER_TEXTS = {
    ".toml": ['student = "Иванова"\nvariant = 3\nf = 20.00\n[grad]\nx0 = "40,00"\nx1 = -40\n'
              '[nodes]\n5 = { value = 1, grad = 20 }\n'],
    ".csv": ["quantity;answer\nstudent;Иванова\nf;20,00\ndf/dx0;40\n#5;1\ndf/d#5;20\n",
             "quantity,answer\nf,20.00\ndf/dx1,-40\n"],
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize("suffix", [".toml", ".csv"])
def test_fuzz_answers_files(folder, suffix):
    exercise = load("variant-2")

    @FUZZ
    @given(st.one_of(TEXT, mutated(ANSWER_TEXTS[suffix])))
    def check(text):
        path = folder / f"answers{suffix}"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        answers = accepted_or_ours(lambda: read_answers(path))
        if answers is not None:
            accepted_or_ours(lambda: grade(exercise, answers))

    check()


# -- hashed keys -----------------------------------------------------------------------------------


def test_fuzz_key_files(folder):
    key_text = to_toml(make_key(load("w01-add"), iterations=1000, salt=b"0" * 16))
    (folder / "right.toml").write_text("f = 2\n[grad]\nx = 1\ny = 1\n")
    answers = read_answers(folder / "right.toml")

    @FUZZ
    @given(st.one_of(TEXT, mutated([key_text])))
    def check(text):
        path = folder / "key.toml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        key = accepted_or_ours(lambda: read_key(path))
        if key is not None:
            assert set(key.check(answers).values()) <= {"right", "wrong", "missing"}

    check()


# -- traces ----------------------------------------------------------------------------------------

TRACE = json.loads(solve("x0 / exp(-(x0*y0 + x1*y1)) + leaky_relu(x0, 0.2) * x1**2",
                         {"x0": 1, "x1": -1, "y0": 1, "y1": -2}, RoundingPolicy(2)).to_json())


def use_trace(text: str) -> None:
    trace = accepted_or_ours(lambda: parse_trace(text, "fuzz.json"))
    if trace is not None:  # what the explorer and the renderers do with a trace they were given
        from graphlab.render.graphviz_render import to_graphviz

        trace.topological_generations()
        trace.to_json()
        to_text_table(trace)
        _ = to_graphviz(trace).source


@FUZZ
@given(st.one_of(TEXT, mutated([json.dumps(TRACE, indent=1)]),
                 mutated_document(TRACE).map(lambda data: json.dumps(data, indent=1))))
def test_fuzz_trace_files(text):
    use_trace(text)


# -- checkpoints -----------------------------------------------------------------------------------


def test_fuzz_checkpoints(folder):
    from graphlab import nn, optim
    from graphlab.train.checkpoint import load_checkpoint, save_checkpoint

    def fresh():
        model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 2))
        return model, optim.Adam(model.parameters(), lr=0.1)

    model, optimizer = fresh()
    for p in model.parameters():  # a step, so the optimizer has state to save
        p.grad = p.detach() * 0 + 1
    optimizer.step()
    save_checkpoint(folder / "valid.npz", model, optimizer, epoch=3)
    valid = (folder / "valid.npz").read_bytes()
    with zipfile.ZipFile(io.BytesIO(valid)) as zf:
        entries = {info.filename: zf.read(info) for info in zf.infolist()}

    arrays = st.builds(lambda dtype, shape: numpy.zeros(shape, dtype),
                       st.sampled_from(["f4", "f8", "i8", "u1", "?", "c8", "U3", "S2", "f2"]),
                       st.lists(st.integers(0, 4), max_size=3).map(tuple))

    @st.composite
    def damaged(draw) -> bytes:
        kind = draw(st.sampled_from(["flip", "cut", "entry"]))
        data = bytearray(valid)
        if kind == "flip":
            for _ in range(draw(st.integers(1, 8))):
                data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
            return bytes(data)
        if kind == "cut":
            return bytes(data[:draw(st.integers(0, len(data)))])
        changed = dict(entries)
        name = draw(st.sampled_from(sorted(changed) + ["extra.npy", "optimizer/99.npy"]))
        buffer = io.BytesIO()
        numpy.lib.format.write_array(buffer, draw(arrays), allow_pickle=False)
        changed[name] = buffer.getvalue()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for entry, content in changed.items():
                zf.writestr(entry, content)
        return out.getvalue()

    @FUZZ
    @given(damaged())
    def check(data):
        (folder / "c.npz").write_bytes(data)
        target, target_optimizer = fresh()
        before = [p.numpy().copy() for p in target.parameters()]
        if accepted_or_ours(lambda: load_checkpoint(folder / "c.npz", target, target_optimizer)) is None:
            for p, old in zip(target.parameters(), before):
                numpy.testing.assert_array_equal(p.numpy(), old)  # whole or not at all

    check()


# -- the command line's values ---------------------------------------------------------------------


@FUZZ
@given(st.lists(st.one_of(TEXT, mutated(["x0=1", "x=1,y=-2", "y_1=−0.5", "x=1e-3"])), max_size=3))
def test_fuzz_input_values(options):
    import argparse

    from graphlab.cli import UserError
    from graphlab.cli.options import inputs_from_args

    try:
        values = inputs_from_args(argparse.Namespace(at=options))
    except UserError:
        return
    assert all(isinstance(v, float) and abs(v) < float("inf") for v in values.values())
