"""Exercises: the bundled ones, and any exercise file a lecturer writes."""

from __future__ import annotations

import difflib
from importlib import resources
from pathlib import Path

from graphlab.exercise.file import Exercise, ExerciseError, loads, read
from graphlab.loading import is_file

DEFAULT = "variant-2"
"""The lecture's graded exercise, opened when no other is named."""


def bundled_dir() -> Path:
    """Where the bundled exercise files are: inside the wheel, or in a source checkout."""
    packaged = Path(str(resources.files("graphlab"))) / "bundled_exercises"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "exercises"


def bundled() -> list[Exercise]:
    """Every bundled exercise: the lecture's first, then the others in file-name order."""
    paths = sorted(bundled_dir().glob("*.toml"), key=lambda p: (p.stem != DEFAULT, p.name))
    return [read(p) for p in paths]


def load(ref: str | Path) -> Exercise:
    """The exercise file ``ref`` (a name ending in ``.toml``), or the bundled exercise whose id is ``ref``.

    Only a ``.toml`` name is read as a file, so a file that happens to be
    called like a bundled id (or like anything else) is never read as an exercise.
    """
    path = Path(ref)
    if path.suffix.lower() == ".toml":
        if not is_file(path):
            raise ExerciseError(path, None, "file", "no such exercise file" if not path.is_dir()
                                else "is a folder, not an exercise file")
        return read(path)
    candidate = bundled_dir() / f"{ref}.toml"
    if "/" not in str(ref) and "\\" not in str(ref) and is_file(candidate):
        return read(candidate)
    ids = [p.stem for p in sorted(bundled_dir().glob("*.toml"))]
    near = difflib.get_close_matches(str(ref), ids, n=3)
    hint = f" Did you mean {', '.join(near)}?" if near else ""
    named = " (an exercise file's name ends in .toml)" if path.exists() else ""
    raise ExerciseError(ref, None, "exercise", f"no bundled exercise with this id{named}.{hint} "
                        "`graphlab exercises` lists the bundled ones.")


__all__ = ["DEFAULT", "Exercise", "ExerciseError", "bundled", "bundled_dir", "load", "loads", "read"]
