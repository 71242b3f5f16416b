"""Redraw the diagrams in docs/ from the lecture's exercise (Вариант 2).

Run from the repository root with graphlab importable (``pip install -e .``, or
``PYTHONPATH=. python docs/make_images.py``); needs Graphviz's ``dot``.
"""

from __future__ import annotations

from pathlib import Path

from graphlab import Trace, Value, rounding
from graphlab.render import render_file

DOCS = Path(__file__).resolve().parent
FORMULA = "x0 / exp(-(x0*y0 + x1*y1))"


def variant_2(decimals: int | None) -> Trace:
    """f = x0 / exp(-(x0·y0 + x1·y1)) at x0=1, x1=-1, y0=1, y1=-2."""
    with rounding(decimals):
        x0, x1, y0, y1 = Value(1, "x0"), Value(-1, "x1"), Value(1, "y0"), Value(-2, "y1")
        f = x0 / (-(x0 * y0 + x1 * y1)).exp()
    f.backward()
    return f.trace(formula=FORMULA)


def main() -> None:
    for stem, decimals in (("variant-2", 2), ("variant-2-exact", None)):
        trace = variant_2(decimals)
        for suffix in (".svg", ".png"):
            print(render_file(trace, DOCS / f"{stem}{suffix}"))


if __name__ == "__main__":
    main()
