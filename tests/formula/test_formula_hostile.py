"""Hostile and random text: a FormulaError or a tree, never another exception, never evaluation."""

from __future__ import annotations

import ast
import builtins
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphlab.formula import FormulaError, parse
from graphlab.formula.expr import Call, to_text
from graphlab.formula.latex_syntax import parse_latex
from graphlab.formula.python_syntax import parse_python

PARSERS = [parse_python, parse_latex, parse]


@contextmanager
def nothing_is_evaluated() -> Iterator[None]:
    """Fail the test if the code inside evaluates, compiles to code, or runs a command."""

    def forbidden(*args, **kwargs):
        raise AssertionError(f"evaluated or ran something: {args!r:.80}")

    real_compile = builtins.compile

    def compile_to_ast_only(source, filename, mode, flags=0, *args, **kwargs):
        if not flags & ast.PyCF_ONLY_AST:
            forbidden(source)
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        for name in ("eval", "exec"):
            patch.setattr(builtins, name, forbidden)
        patch.setattr(builtins, "compile", compile_to_ast_only)
        for name in ("system", "popen", "execv", "execvp", "spawnv"):
            patch.setattr(os, name, forbidden)
        patch.setattr(subprocess, "Popen", forbidden)
        yield


def _read(parser, text):
    """The parser's answer: a tree (checked to be printable) or a FormulaError; anything else fails."""
    try:
        with nothing_is_evaluated():
            tree = parser(text)
    except FormulaError as err:
        str(err)  # the message renders
        return err
    assert to_text(tree)
    return tree


HOSTILE = [
    "__import__('os').system('id')",
    "().__class__.__mro__",
    "().__class__.__mro__[1].__subclasses__()",
    "lambda: 1",
    "(lambda: __import__('os').system('id'))()",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "exec('import os')",
    "eval('1')",
    "open('/etc/passwd').read()",
    "globals()",
    "x.__dict__",
    "f'{x}'",
    "(x := 1)",
    "import os",
    "x = __import__('os')",
    "exp(x); import os",
    "(" * 10000 + "x" + ")" * 10000,
    "-" * 10000 + "x",
    "+".join(["x"] * 5000),
    "[" * 5000,
    "{" * 10000 + "x" + "}" * 10000,
    r"\frac{" * 3000,
    "|" * 5000,
    r"\left(" * 3000 + "x",
    "9**9**9**9",
    "9**9**9**9**9**9**9**9",
    "10**10**10",
    "x\0y",
    "\0",
    "1" * 5000,
    "1" * 400,
    "1e999",
    "0x" + "f" * 400,
    "x" * 100_000,
    "x+" * 50_000 + "x",
    "\ud800",
    "x + '\udfff'",
    "\u202ex\u202c",
    "\r\n\tx\r",
]


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_refused_or_read_never_run(parser, text):
    _read(parser, text)


def test_the_guard_catches_evaluation():
    with pytest.raises(AssertionError, match="evaluated"), nothing_is_evaluated():
        eval("1")
    with pytest.raises(AssertionError, match="evaluated"), nothing_is_evaluated():
        os.system("true")


def test_a_tower_of_powers_is_parsed_not_computed():
    tree = parse_python("9**9**9**9")
    depth = 0
    while isinstance(tree, Call):
        assert tree.op == "pow_var" or (tree.op == "pow" and tree.params == (("p", 9.0),))
        tree, depth = tree.args[0] if tree.op == "pow" else tree.args[1], depth + 1
    assert depth == 3


PYTHON_SOUP = st.sampled_from([
    "x", "x0", "y_1", "2", "0.5", "1e999", "2j", "(", ")", ",", "+", "-", "*", "/", "**", "^", ".", " ",
    "exp", "log", "leaky_relu", "pow", "max", "e", "pi", "lambda", ":", "[", "]", "=", "'", "__class__",
    "__import__", "if", "else", "not", "\0", "\n", "α", "@", "%", "//", ";", "**-",
])
LATEX_SOUP = st.sampled_from([
    "x", "y", "e", "2", "10", ".5", "_", "^", "{", "}", "(", ")", "[", "]", "|", ",", "+", "-", "*", "/",
    "\\frac", "\\sqrt", "\\ln", "\\exp", "\\sigma", "\\max", "\\left", "\\right", "\\left(", "\\right)",
    "\\left|", "\\right|", "\\lvert", "\\rvert", "\\cdot", "\\times", "\\,", "\\quad", "\\pi", "\\alpha",
    "\\operatorname{relu}", "\\mathrm{e}", "\\mathrm{", "\\", "\\foo", " ", "$", "=", "−", "·", "\0",
])

_FAST = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow],
                 database=None)


@_FAST
@given(st.text(st.characters(exclude_categories=()), max_size=200))  # surrogates too
def test_random_unicode_never_escapes_as_another_exception(text):
    for parser in PARSERS:
        _read(parser, text)


@_FAST
@given(st.lists(PYTHON_SOUP, max_size=40).map("".join))
def test_python_token_soup(text):
    for parser in PARSERS:
        _read(parser, text)


@_FAST
@given(st.lists(LATEX_SOUP, max_size=40).map("".join))
def test_latex_token_soup(text):
    for parser in PARSERS:
        _read(parser, text)
