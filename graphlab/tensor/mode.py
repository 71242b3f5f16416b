"""Global recording state: is the graph being recorded, and under which name scope.

Module attributes, read on every op, so checking them costs one lookup.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import Any

grad_enabled = True
"""Ops record the graph only while this is true (``no_grad()`` turns it off)."""

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


class _Block:
    """A ``with`` block that is also a decorator and may be entered again while open: each entry keeps
    what it replaced. A class, not a generator: optimizers and every module call enter one."""

    __slots__ = ("replaced",)

    def __init__(self) -> None:
        self.replaced: list[Any] = []

    def __call__(self, function: Callable) -> Callable:
        """``@no_grad()`` or ``@scope("layer")`` on a function, as in PyTorch."""
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return function(*args, **kwargs)
        return run


class _GradMode(_Block):
    """Sets ``grad_enabled`` for a ``with`` block."""

    __slots__ = ("enabled",)

    def __init__(self, enabled: bool) -> None:
        super().__init__()
        self.enabled = enabled

    def __enter__(self) -> None:
        global grad_enabled
        self.replaced.append(grad_enabled)
        grad_enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        global grad_enabled
        grad_enabled = self.replaced.pop()


def no_grad() -> _GradMode:
    """Evaluate without recording the graph: inference, and parameter updates in optimizers."""
    return _GradMode(False)


def enable_grad() -> _GradMode:
    """Record the graph again inside a ``no_grad()`` block."""
    return _GradMode(True)


def is_grad_enabled() -> bool:
    return grad_enabled


class name_scope(_Block):  # noqa: N801 - used as a function, as ``no_grad()`` is
    """Record ``name`` (nested: ``outer.name``) on every node created inside, for collapsed drawings."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def __enter__(self) -> str:
        global scope
        self.replaced.append(scope)
        scope = f"{scope}.{self.name}" if scope else self.name
        return scope

    def __exit__(self, *exc: object) -> None:
        global scope
        scope = self.replaced.pop()
