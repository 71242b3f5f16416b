"""The parsed formula: a small tree both parsers produce and the builder reads.

The tree mirrors the formula as written: ``a/b`` is one ``div`` call,
``a+b+c`` is ``(a+b)+c``, and each literal is its own ``Num``. Nothing here
simplifies or reorders.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from graphlab.ops import OPS, Form, Precedence

Span = tuple[int, int]  # [start, end) columns in the source text


@dataclass(frozen=True)
class Num:
    """A literal constant, kept with the text the student wrote (``0.5``, ``-2``)."""

    value: float
    text: str
    span: Span = (0, 0)


@dataclass(frozen=True)
class Name:
    """An input, by its canonical name (``x_{0}`` and ``x_0`` are ``x0``)."""

    name: str
    span: Span = (0, 0)


@dataclass(frozen=True)
class Call:
    """Op ``op`` of the operations table applied to ``args``, with literal ``params``."""

    op: str
    args: tuple[Expr, ...]
    params: tuple[tuple[str, float], ...] = ()
    span: Span = (0, 0)


Expr = Num | Name | Call

_SUBSCRIPT = re.compile(r"^([A-Za-z]+)_\{?(\d+)\}?$")


def canonical_name(name: str) -> str:
    """One spelling per input: ``x_0``, ``x_{0}`` and ``x0`` are all ``x0``."""
    match = _SUBSCRIPT.match(name)
    return match.group(1) + match.group(2) if match else name


def to_text(expr: Expr, form: Form = Form.PYTHON, name: Callable[[str], str] = str) -> str:
    """``expr`` written in ``form`` (Python by default, or LaTeX) with only the parentheses it needs:
    the ops table writes each op, ``name`` each input's name."""
    return _written(expr, form, name)[0]


def _written(expr: Expr, form: Form, name: Callable[[str], str]) -> tuple[str, int]:
    if isinstance(expr, Num):
        return expr.text, Precedence.PREFIX if expr.text.startswith("-") else Precedence.ATOM  # (-2)**x, a*(-2)
    if isinstance(expr, Name):
        return name(expr.name), Precedence.ATOM
    operands = [_written(a, form, name) for a in expr.args]
    return OPS[expr.op].write(operands, dict(expr.params), form=form, number=_number)


def _number(x: float) -> str:
    """Shortest text that reads back as ``x``: ``2``, ``0.5``, ``0.1234567``."""
    short = f"{x:g}"
    return short if float(short) == x else repr(x)


def names(expr: Expr) -> list[str]:
    """The input names of ``expr`` in order of first appearance."""
    seen: dict[str, None] = {}
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            seen.setdefault(node.name)
        elif isinstance(node, Call):
            stack.extend(reversed(node.args))
    return list(seen)
