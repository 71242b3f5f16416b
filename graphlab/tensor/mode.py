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
"""The number of the first in-place change recorded in a graph (``inplace.change``) on a storage still alive,
``NEVER`` when there is none: only tensors recorded after it can hold a view that such a change left behind,
so only they are checked."""
rewritten_storages = 0
"""How many storages that a recorded change rewrote are alive; when the last one goes, so does ``first_rewrite``."""


def rewritten(stamp: int) -> None:
    """A recorded change numbered ``stamp`` rewrote a storage (count it once per storage with ``kept``)."""
    global first_rewrite
    first_rewrite = min(first_rewrite, stamp)


def kept() -> None:
    """One more storage with a recorded change is alive."""
    global rewritten_storages
    rewritten_storages += 1


def gone() -> None:
    """A storage with a recorded change is gone; with the last one, backward checks nothing more for them."""
    global rewritten_storages, first_rewrite
    rewritten_storages -= 1
    if not rewritten_storages:
        first_rewrite = NEVER


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
