"""Redraw the diagrams in docs/ from the lecture's exercise (Вариант 2).

Run from the repository root with graphlab importable (``pip install -e .``, or
``PYTHONPATH=. python docs/make_images.py``); needs Graphviz's ``dot``.
"""

from __future__ import annotations

from pathlib import Path

from graphlab.exercise import load
from graphlab.render import write
from graphlab.rounding import RoundingPolicy

DOCS = Path(__file__).resolve().parent


def main() -> None:
    """The same diagrams `graphlab solve variant-2 --render …` (and `--exact`) draw."""
    exercise = load("variant-2")
    for stem, policy in (("variant-2", exercise.policy), ("variant-2-exact", RoundingPolicy())):
        trace = exercise.solve(policy=policy)
        for suffix in (".svg", ".png"):
            print(write(trace, DOCS / f"{stem}{suffix}", title=exercise.heading))


if __name__ == "__main__":
    main()
