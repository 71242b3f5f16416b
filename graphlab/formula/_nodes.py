"""Tree nodes built the same way for both syntaxes, so both give the same tree.

The Python-style and the LaTeX parser differ only in how they read text; every
decision about which node a construct becomes (``-2`` is a negative literal,
``x**2`` is ``pow`` with p=2, ``leaky_relu(x)`` gets its default slope) lives here.
"""

from __future__ import annotations

import difflib
import math

from graphlab.formula.errors import FormulaError
from graphlab.formula.expr import Call, Expr, Num, Span, to_text
from graphlab.ops import ALIASES, OPS

MAX_DEPTH = 200
"""Deepest tree either parser returns; deeper ones would overflow recursive readers."""

CONSTANTS = {"e": math.e, "pi": math.pi}
"""Named constants: written ``e``/``pi`` in Python style, ``e``/``\\pi`` in LaTeX."""

FUNCTION_NAMES = sorted({*OPS, *ALIASES})
"""Every spelling of a function a formula may call."""


def number(value: float, text: str, span: Span, source: str) -> Num:
    """A literal, refused if it is too large to be a finite float."""
    try:
        value = float(value)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise FormulaError(f"the number {clip(text)} is too large (it overflows to infinity)",
                           source, span[0])
    return Num(value, text, span)


def is_literal(expr: Expr) -> bool:
    """A number the student wrote as digits (``2``, ``-0.5``), not a constant such as ``e``."""
    return isinstance(expr, Num) and expr.text not in CONSTANTS


def negate(operand: Expr, span: Span) -> Expr:
    """``-2`` is the literal −2; a minus on anything else is a ``neg`` node."""
    if is_literal(operand) and not operand.text.startswith("-"):
        return Num(-operand.value, "-" + operand.text, span)
    return Call("neg", (operand,), (), span)


def power(base: Expr, exponent: Expr, span: Span) -> Call:
    """``x**2`` is ``pow`` with the literal as its parameter; ``x**y`` is ``pow_var``.

    Euler's number to a power is the exp node in both syntaxes (``e**x`` as ``e^{x}``).
    """
    if isinstance(base, Num) and base.text == "e":
        return Call("exp", (exponent,), (), span)
    if is_literal(exponent):
        return Call("pow", (base,), (("p", exponent.value),), span)
    return Call("pow_var", (base, exponent), (), span)


def resolve(name: str, source: str, column: int) -> str:
    """The op a function name (or alias) stands for; an unknown name lists the nearest ones."""
    op_name = ALIASES.get(name, name)
    if op_name in OPS:
        return op_name
    near = difflib.get_close_matches(name.lower(), FUNCTION_NAMES, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(near)}?" if near else f"; known functions: {', '.join(FUNCTION_NAMES)}"
    raise FormulaError(f"unknown function {clip(name)!r}{hint}", source, column)


def signature(op_name: str) -> str:
    """How a function is called, with its parameters' defaults: ``leaky_relu(x, slope=0.01)``."""
    op = OPS[op_name]
    if op_name == "pow":
        return "pow(x, p)"
    operands = ["x"] if op.arity == 1 else ["a", "b"]
    return f"{op_name}({', '.join(operands + [f'{k}={v:g}' for k, v in op.params.items()])})"


def apply(op_name: str, args: list[Expr], span: Span, source: str, shown: str | None = None) -> Expr:
    """Op ``op_name`` called by name on ``args``: operands first, then literal parameters.

    A call by name gives the node its operator would: ``neg(2)`` is ``-2`` and
    ``pow(x, 2)`` is ``x**2``. Parameters left out take the table's defaults, so
    ``leaky_relu(x)`` and ``leaky_relu(x, 0.01)`` are the same tree.
    """
    op = OPS[op_name]
    shown = shown or op_name
    least = 2 if op_name == "pow" else op.arity
    most = op.arity + len(op.params)
    if not least <= len(args) <= most:
        count = f"{least}" if least == most else f"{least} to {most}"
        raise FormulaError(f"{shown}() takes {count} argument{'s' if most > 1 else ''}, "
                           f"got {len(args)}: write {signature(op_name)}", source, span[0])
    if op_name == "neg":
        return negate(args[0], span)
    if op_name in ("pow", "pow_var"):
        return power(args[0], args[1], span)
    params = []
    for (name, default), arg in zip(op.params.items(), args[op.arity:] + [None] * len(op.params)):
        if arg is not None and not is_literal(arg):
            raise FormulaError(f"the {name} of {shown}() must be a number such as {default:g}, "
                               f"found {clip(to_text(arg))}", source, arg.span[0])
        params.append((name, default if arg is None else arg.value))
    refusal = op.refusal(dict(params))
    if refusal:
        raise FormulaError(f"{shown}(): {refusal}", source, span[0])
    return Call(op_name, tuple(args[:op.arity]), tuple(params), span)


def check_depth(expr: Expr, source: str) -> Expr:
    """``expr`` itself, or a FormulaError if it nests deeper than ``MAX_DEPTH``."""
    stack = [(expr, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise too_deep(source, node.span[0])
        if isinstance(node, Call):
            stack.extend((arg, depth + 1) for arg in node.args)
    return expr


def too_deep(source: str, column: int, limit: int = MAX_DEPTH) -> FormulaError:
    return FormulaError(f"the formula is nested too deeply (more than {limit} levels)", source, column)


def clip(text: str, width: int = 40) -> str:
    """Text quoted in a message, shortened so a hostile input cannot flood it."""
    return text if len(text) <= width else text[:width] + "…"
