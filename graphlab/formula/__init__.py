"""Formula text → expression tree, without ever evaluating the text.

Two syntaxes: Python-style (``x0 / exp(-(x0*y0 + x1*y1))``), read by a
whitelist walk of Python's ``ast``; and LaTeX as pasted from slides
(``\\frac{x_0}{e^{-(x_0y_0+x_1y_1)}}``), read by a grammar of our own. Both give
the same tree for the same formula. ``eval``, ``sympify`` and ``parse_expr`` are
never used on user text.
"""

from __future__ import annotations

import re
from typing import Literal

from graphlab.formula.errors import FormulaError
from graphlab.formula.expr import Call, Expr, Name, Num, canonical_name, names, to_text

Syntax = Literal["auto", "python", "latex"]
MAX_LENGTH = 10_000
"""Longest formula accepted; longer text is refused before it is read."""

_WORD = re.compile(r"(?<![\\A-Za-z0-9_])[A-Za-z][A-Za-z0-9]*")


def detect_syntax(text: str) -> Literal["python", "latex"]:
    """LaTeX if the text uses a backslash command or braces; Python-style otherwise."""
    return "latex" if any(c in text for c in "\\{}") else "python"


def reads_alike_in_latex(text: str) -> bool:
    """Whether LaTeX reads every name in ``text`` as Python would: single letters only.

    LaTeX reads ``ab`` as a·b and ``x0`` as x·0, so text with such a word is
    never handed to the LaTeX reader on a guess.
    """
    return all(len(word) == 1 for word in _WORD.findall(text))


def parse(text: str, syntax: Syntax = "auto") -> Expr:
    """The expression tree of ``text``; raises ``FormulaError`` with a caret on bad input."""
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is {len(text)} characters long; at most {MAX_LENGTH} are read")
    if not text.strip():
        raise FormulaError("the formula is empty")
    if syntax == "auto":
        syntax = detect_syntax(text)
        if syntax == "python":  # |x|, $x+1$, x~+~1, (x + y) z: LaTeX the Python reader cannot read
            try:
                return parse(text, "python")
            except FormulaError:
                if not reads_alike_in_latex(text):
                    raise
                try:
                    return parse(text, "latex")
                except FormulaError:
                    pass
                raise
    if syntax == "python":
        from graphlab.formula.python_syntax import parse_python  # lazy: only the parser of the syntax asked for loads

        return parse_python(text)
    if syntax == "latex":
        from graphlab.formula.latex_syntax import parse_latex  # lazy: only the parser of the syntax asked for loads

        return parse_latex(text)
    raise FormulaError(f"syntax must be 'auto', 'python' or 'latex', got {syntax!r}")


__all__ = ["Call", "Expr", "FormulaError", "Name", "Num", "canonical_name", "detect_syntax",
           "names", "parse", "to_text"]
