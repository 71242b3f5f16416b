"""Anomaly mode: name the first node whose value or gradient is NaN or infinite.

Off by default, like PyTorch's ``detect_anomaly``: only inside
``with detect_anomaly():`` do ops record the user's code line that created them
and check every forward value and gradient, so normal mode pays nothing.

For an op of the table, the error also says which of the op's declared edges
its inputs reached (``log of a number near or below 0, at 1 of 4 elements``),
the same edges the variant checks keep away from.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from graphlab.ops import EdgeKind

if TYPE_CHECKING:
    from graphlab.tensor.function import Function
    from graphlab.tensor.tensor import Tensor

enabled = False
"""True inside ``detect_anomaly()``."""

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class AnomalyError(FloatingPointError):
    """A NaN or infinity appeared; ``node`` is the op that produced it (its output is marked ``_anomaly``)."""

    def __init__(self, node: Function, stage: str, made: Tensor, inputs: tuple, output: Tensor | None = None):
        self.node = node
        self.stage = stage  # "forward" or "backward"
        self.output = made if output is None else output
        """Forward: the tensor the node produced; backward: the output backward() started from."""
        self.where = made._where
        """``file:line`` of the user's code that made the node (recorded in anomaly mode)."""
        shapes = ", ".join(str(tuple(x.shape)) if hasattr(x, "shape") else "()" for x in inputs)
        where = f" created at {self.where}" if self.where else ""
        what = "value" if stage == "forward" else "gradient"
        super().__init__(f"{node.name} (inputs {shapes}){where}: its {what} contains NaN or inf"
                         f"{edge_reached(node, inputs, made._backend.xp)}")


def edge_reached(node: Function, inputs: tuple, xp) -> str:
    """``: log of a number near or below 0, at 1 of 4 elements`` when ``inputs`` reach an edge where
    the node's table op is undefined (``Op.edges``); empty for other ops and other causes (an overflow)."""
    op = getattr(node, "op", None)  # the table's op, on an elementwise node
    if op is None:
        return ""
    values = [x.data if hasattr(x, "data") else x for x in inputs]
    for edge in op.edges:
        if edge.kind == EdgeKind.KINK:
            continue
        at = edge.at(*values, **node.params)
        if at is None:
            continue
        reached = at <= 0 if edge.kind == EdgeKind.POSITIVE else at == 0
        if not hasattr(reached, "shape"):
            count, size = int(bool(reached)), 1
        else:
            count, size = int(xp.sum(xp.astype(reached, xp.int64))), math.prod(reached.shape)
        if count:
            return f": {edge.says.format(op=op.name)}, at {count} of {size} element{'s' * (size != 1)}"
    return ""


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Check every forward value and gradient; raise ``AnomalyError`` at the first NaN/inf."""
    global enabled
    previous, enabled = enabled, True
    try:
        yield
    finally:
        enabled = previous


def caller_line() -> str:
    """``file:line`` of the innermost frame outside graphlab: the user's line that made the node."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        inside = _INSIDE.get(filename)
        if inside is None:
            inside = _INSIDE[filename] = os.path.abspath(filename).startswith(_PACKAGE)
        if not inside:
            return f"{filename}:{frame.f_lineno}"
        frame = frame.f_back
    return ""


_INSIDE: dict[str, bool] = {}
"""Whether each source file seen lies inside graphlab: ``abspath`` costs more than the rest of the walk."""


def all_finite(xp, array) -> bool:
    if array is None:
        return True
    if isinstance(array, (int, float)):
        return math.isfinite(array)
    if array.dtype == xp.bool or array.dtype == xp.int64:
        return True
    return bool(xp.all(xp.isfinite(array)))
