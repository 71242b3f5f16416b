"""The tensor engine's recording state besides grad mode: the name scope and the clock.

Module attributes, read on every op, so checking them costs one lookup. Grad
mode itself is shared with the scalar engine (``graphlab.grad_mode``).
"""

from __future__ import annotations

import itertools

from graphlab.grad_mode import Block

scope = ""
"""The current module/name scope, dotted (``"model.fc1"``); every recorded tensor keeps it."""

sequence = itertools.count(1)
"""One clock for recorded tensors and in-place changes: a tensor's inputs always come earlier (so the
numbers are a topological order), and a change numbered after a tensor came after it was recorded."""

last_edit = 0
"""The number of the latest in-place change of any tensor (``tensor.bump``): backward checks saved values
only for tensors recorded before it, so a graph with no change since its forward pays one comparison per tensor."""

NEVER = 1 << 62
first_rewrite = NEVER
"""The number of the first in-place change recorded in a graph (``inplace.change``), ``NEVER`` before one:
only tensors recorded after it can hold a view that such a change left behind, so only they are checked."""


class name_scope(Block):
    """Record ``name`` (nested: ``outer.name``) on every node created inside, for collapsed drawings."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name, self.replaced = name, None

    def __enter__(self) -> str:
        global scope
        inner = f"{scope}.{self.name}" if scope else self.name
        self.replaced, scope = (scope, self.replaced), inner
        return scope

    def __exit__(self, *exc: object) -> None:
        global scope
        scope, self.replaced = self.replaced
