"""The notebook explorer: ``graphlab.explore(f)`` or ``f.explore()`` in Jupyter, VS Code, Colab or marimo.

anywidget (``pip install graphlab[notebook]``) loads only when an explorer is
opened, so ``import graphlab`` stays light.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from graphlab.rounding import RoundingPolicy

if TYPE_CHECKING:
    from graphlab.widget.explorer import Explorer


def explore(source: Any = None, at: Mapping[str, float] | None = None,
            policy: RoundingPolicy | None = None) -> Explorer:
    """An explorer widget for ``source``: a ``Value`` (its graph), a ``Trace``, an exercise id or file,
    a trace .json, or a formula evaluated at ``at``; None opens the lecture's exercise.

    A graph built in Python has no formula to solve again, so its rounding cannot be
    switched; everything else can.
    """
    try:
        from graphlab.widget.explorer import Explorer  # lazy: anywidget loads only when a widget is made
    except ImportError as err:
        raise ModuleNotFoundError("the notebook explorer needs anywidget: pip install 'graphlab[notebook]'",
                                  name=err.name) from None
    return Explorer(_problem(source, at, policy))


def _problem(source: Any, at: Mapping[str, float] | None, policy: RoundingPolicy | None):
    from graphlab.trace import Trace  # lazy: the library loads only when a widget is made
    from graphlab.tui.problem import Problem, open_source  # lazy: the library loads only when a widget is made
    from graphlab.value import Value  # lazy: the library loads only when a widget is made

    if isinstance(source, Value):
        source = source.trace()
    if isinstance(source, Trace):
        inputs = {name: node.value for name, node in source.inputs.items()}
        return Problem(title=source.formula or "", formula=source.formula, inputs=inputs, policy=source.policy,
                       gradient=source.gradient, recorded=source)
    if source is not None and not isinstance(source, str):
        raise TypeError(f"explore: expected a Value, a Trace, an exercise id, a file name or a formula, "
                        f"not {type(source).__name__}")
    return open_source(source, at, policy)


__all__ = ["explore"]
