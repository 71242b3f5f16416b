"""The terminal explorer: step through a graph's forward and backward pass in Textual.

``graphlab tui`` calls ``run``. Textual is imported only here, never by the
library, so ``import graphlab`` stays light.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from graphlab.rounding import RoundingPolicy

if TYPE_CHECKING:
    from graphlab.tensor.trace import TensorTrace
    from graphlab.tui.problem import Problem


def run(source: str | None = None, at: Mapping[str, float] | None = None,
        policy: RoundingPolicy | None = None) -> None:
    """Open the explorer on ``source``: None (the lecture exercise), an exercise id or .toml
    path, a trace .json path, or a formula evaluated at ``at`` under ``policy``.

    A source that cannot be opened is reported on stderr with exit status 2; a
    formula that does not parse opens the app on the formula screen with the
    parser's message.
    """
    from graphlab.errors import InputError  # lazy: Textual loads only when the explorer opens
    from graphlab.tui.problem import open_source  # lazy: Textual loads only when the explorer opens

    try:
        problem = open_source(source, at, policy)
    except InputError as err:
        print(f"graphlab tui: {err}", file=sys.stderr)
        raise SystemExit(2) from None
    explore(problem)


def explore(problem: Problem) -> None:
    """Run the explorer on ``problem`` in this terminal."""
    from graphlab.tui.app import ExplorerApp  # lazy: Textual loads only when the explorer opens

    ExplorerApp(problem).run()


def explore_tensor(trace: TensorTrace, title: str = "") -> None:
    """Run the tensor explorer on ``trace`` in this terminal: one box per layer, a layer expands into its ops."""
    from graphlab.tui.tensor_app import TensorExplorerApp  # lazy: Textual loads only when the explorer opens

    TensorExplorerApp(trace, title).run()


__all__ = ["explore", "explore_tensor", "run"]
