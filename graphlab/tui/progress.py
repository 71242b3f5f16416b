"""An exercise's progress on disk: the answers, tries and hints of exercise mode, saved after each and resumed.

A problem's progress is one small JSON file named after its title and a digest
of what makes it that problem (formula, inputs, rounding, initial gradient),
so another variant or another rounding starts afresh and this one comes back
as it was left. Files live in ``$GRAPHLAB_PROGRESS_DIR``, else
``$XDG_STATE_HOME/graphlab/progress``, else ``~/.local/state/graphlab/progress``.
A file that cannot be read is ignored, never trusted: ``Quiz.restore`` keeps
only what fits the graph.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from graphlab.atomic import write_atomic
from graphlab.exercise.safe import file_name
from graphlab.loading import read_bytes
from graphlab.tui.problem import Problem
from graphlab.tui.quiz import Quiz

MAX_BYTES = 1 << 20
"""Largest progress file read."""


def folder() -> Path:
    """Where progress files are kept."""
    if os.environ.get("GRAPHLAB_PROGRESS_DIR"):
        return Path(os.environ["GRAPHLAB_PROGRESS_DIR"])
    state = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(state) / "graphlab" / "progress"


def path_of(problem: Problem) -> Path:
    """The progress file of ``problem``."""
    identity = json.dumps({"formula": problem.formula, "inputs": problem.inputs, "policy": problem.policy.to_dict(),
                           "gradient": problem.gradient}, sort_keys=True)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:12]
    return folder() / f"{file_name(problem.title, 'exercise')}-{digest}.json"


def save(problem: Problem, quiz: Quiz) -> Path:
    """Write ``quiz``'s progress (an ``OSError`` says why it could not be)."""
    data = {"title": problem.title, "formula": problem.formula, **quiz.to_dict()}
    return write_atomic(path_of(problem), (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode())


def load(problem: Problem) -> dict[str, Any] | None:
    """The saved progress of ``problem``, or None where there is none or it cannot be read."""
    path = path_of(problem)
    if not path.is_file():
        return None
    try:
        data = json.loads(read_bytes(path, OSError, MAX_BYTES))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def forget(problem: Problem) -> None:
    """Remove ``problem``'s saved progress."""
    path_of(problem).unlink(missing_ok=True)
