"""An exercise's formula as mathematics: its LaTeX, and that LaTeX drawn to an image with matplotlib's mathtext.

Handouts show ``f = \\frac{x_0}{e^{-(x_0y_0+x_1y_1)}}`` typeset, not the
Python text ``x0 / exp(-(x0*y0 + x1*y1))``. The LaTeX is the exercise's own
(``[formula] latex``) or, when it has none, written from the formula's tree:
``sigmoid(w0*x0 + w1*x1 + w2)`` becomes ``\\sigma(w_{0} x_{0} + w_{1} x_{1} + w_{2})``.
Graphviz cannot typeset, but it can place an image, so the LaTeX is drawn by
matplotlib's mathtext (no TeX installation needed) into a PNG that the
worksheet's and the key's label hold. Without matplotlib, or for LaTeX that
mathtext cannot draw, ``render`` returns None and the handout shows the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graphlab.exercise.file import Exercise
from graphlab.formula import parse
from graphlab.formula.expr import Expr, Name, Num
from graphlab.ops import lookup

FONT_SIZE = 22
"""Points of the typeset formula (the handout's title is 18)."""
DPI = 300
"""Resolution of the formula's image: sharp when printed."""

_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "mu", "nu",
          "xi", "rho", "tau", "phi", "chi", "psi", "omega"}
_INDEXED = re.compile(r"^([A-Za-z]+)(\d+)$")
_FUNCTIONS = {"log": r"\ln", "sin": r"\sin", "cos": r"\cos", "tanh": r"\tanh", "max": r"\max", "min": r"\min",
              "sigmoid": r"\sigma", "relu": r"\operatorname{ReLU}", "leaky_relu": r"\operatorname{LReLU}",
              "elu": r"\operatorname{ELU}", "selu": r"\operatorname{SELU}", "softplus": r"\operatorname{softplus}",
              "silu": r"\operatorname{SiLU}", "gelu": r"\operatorname{GELU}", "gelu_tanh": r"\operatorname{GELU\_tanh}"}
"""How a function-like op is written; the rest are written by their shape (fractions, powers, roots)."""
_SUM, _PRODUCT, _UNARY, _POWER, _ATOM = 1, 2, 3, 4, 5


def formula_latex(exercise: Exercise) -> str:
    """The right-hand side of ``f = …`` in LaTeX: the exercise's own, or written from its formula."""
    return exercise.latex.strip() if exercise.latex else to_latex(parse(exercise.formula, "python"))


def to_latex(expr: Expr) -> str:
    """``expr`` in LaTeX, with only the parentheses it needs."""
    return _write(expr)[0]


def _write(expr: Expr) -> tuple[str, int]:
    """(LaTeX, how tightly it binds)."""
    if isinstance(expr, Num):
        return expr.text, _UNARY if expr.text.startswith("-") else _ATOM
    if isinstance(expr, Name):
        return _name(expr.name), _ATOM
    args = [_write(a) for a in expr.args]
    op = expr.op
    params = dict(expr.params)
    if op in ("add", "sub"):
        right = _wrapped(args[1], _SUM + (op == "sub"))
        return f"{args[0][0]} {'+' if op == 'add' else '-'} {right}", _SUM
    if op == "mul":
        left, right = _wrapped(args[0], _PRODUCT), _wrapped(args[1], _PRODUCT + 1)
        joined = " \\cdot " if right[:1].isdigit() or right.startswith(("-", ".")) or left == right else " "  # 2x, 2·3
        return left + joined + right, _PRODUCT
    if op == "div":
        return f"\\frac{{{args[0][0]}}}{{{args[1][0]}}}", _ATOM
    if op == "neg":
        return f"-{_wrapped(args[0], _UNARY)}", _UNARY
    if op == "pow":
        return f"{_wrapped(args[0], _ATOM)}^{{{_number(params['p'])}}}", _POWER
    if op == "pow_var":
        return f"{_wrapped(args[0], _ATOM)}^{{{args[1][0]}}}", _POWER
    if op == "square":
        return f"{_wrapped(args[0], _ATOM)}^{{2}}", _POWER
    if op == "exp":
        return f"e^{{{args[0][0]}}}", _POWER
    if op == "sqrt":
        return f"\\sqrt{{{args[0][0]}}}", _ATOM
    if op == "reciprocal":
        return f"\\frac{{1}}{{{args[0][0]}}}", _ATOM
    if op == "abs":
        return f"\\left|{args[0][0]}\\right|", _ATOM
    name = _FUNCTIONS.get(op, f"\\operatorname{{{op}}}")
    defaults = lookup(op).params
    extra = [_number(v) for k, v in expr.params if k != "p" and defaults.get(k) != v]
    return f"{name}\\left({', '.join([a[0] for a in args] + extra)}\\right)", _ATOM


def _wrapped(arg: tuple[str, int], strength: int) -> str:
    return arg[0] if arg[1] >= strength else f"\\left({arg[0]}\\right)"


def _name(name: str) -> str:
    """``x0`` → ``x_{0}``, ``alpha`` → ``\\alpha``, ``t`` → ``t``, a longer name upright in italics."""
    match = _INDEXED.match(name)
    base, index = (match.group(1), match.group(2)) if match else (name, "")
    base = f"\\{base}" if base in _GREEK else base if len(base) == 1 else f"\\mathit{{{base}}}"
    return f"{base}_{{{index}}}" if index else base


def _number(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True)
class Picture:
    """A typeset formula drawn to ``path``, and its size in points as the handout places it."""

    path: Path
    width: float
    height: float


def render(latex: str, path: Path, font_size: float = FONT_SIZE) -> Picture | None:
    """``$latex$`` drawn by mathtext to the PNG ``path``; None where matplotlib is missing or cannot draw it."""
    try:
        import matplotlib
        from matplotlib.font_manager import FontProperties
        from matplotlib.mathtext import math_to_image
    except ImportError:
        return None
    display = re.sub(r"\\frac(?=\s*\{)", r"\\dfrac", latex)  # a fraction as on a slide, not squeezed into a line
    try:
        with matplotlib.rc_context({"mathtext.fontset": "cm"}):
            path.parent.mkdir(parents=True, exist_ok=True)
            math_to_image(f"${display}$", str(path), dpi=DPI, format="png", prop=FontProperties(size=font_size))
    except (ValueError, RuntimeError):  # mathtext's parse errors
        return None
    width, height = _png_size(path)
    return Picture(path, width * 72 / DPI, height * 72 / DPI)


def _png_size(path: Path) -> tuple[int, int]:
    """(width, height) in pixels, from the PNG's header."""
    header = path.read_bytes()[16:24]
    return int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")
