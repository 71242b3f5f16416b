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
"""One clock for recorded tensors and in-place edits: a tensor's inputs always come earlier (so the
numbers are a topological order), and an edit numbered after a tensor came after it was recorded."""

last_edit = 0
"""The number of the latest in-place edit of any tensor: backward checks saved values only for
tensors recorded before it, so a graph with no edits since its forward pays one comparison per tensor."""


def mark_edited(tensor) -> None:
    """Stamp ``tensor`` as changed in place now (its values, not its shape or dtype)."""
    global last_edit
    tensor._edited = last_edit = next(sequence)


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
