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
from graphlab.formula.expr import Expr, to_text
from graphlab.ops import Form

FONT_SIZE = 22
"""Points of the typeset formula (the handout's title is 18)."""
DPI = 300
"""Resolution of the formula's image: sharp when printed."""

_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "mu", "nu",
          "xi", "rho", "tau", "phi", "chi", "psi", "omega"}
_INDEXED = re.compile(r"^([A-Za-z]+)(\d+)$")


def formula_latex(exercise: Exercise) -> str:
    """The right-hand side of ``f = …`` in LaTeX: the exercise's own, or written from its formula."""
    return exercise.latex.strip() if exercise.latex else to_latex(parse(exercise.formula, "python"))


def to_latex(expr: Expr) -> str:
    """``expr`` in LaTeX, with only the parentheses it needs: each op as the ops table writes it."""
    return to_text(expr, Form.LATEX, _name)


def _name(name: str) -> str:
    """``x0`` → ``x_{0}``, ``alpha`` → ``\\alpha``, ``t`` → ``t``, a longer name upright in italics."""
    match = _INDEXED.match(name)
    base, index = (match.group(1), match.group(2)) if match else (name, "")
    base = f"\\{base}" if base in _GREEK else base if len(base) == 1 else f"\\mathit{{{base}}}"
    return f"{base}_{{{index}}}" if index else base


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
