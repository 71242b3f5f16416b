"""Global recording state: is the graph being recorded, and under which name scope.

Module attributes, read on every op, so checking them costs one lookup.
"""

from __future__ import annotations

import functools
import inspect
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
    """A ``with`` block that is also a decorator (of functions and of generators, as PyTorch's) and may
    be entered again while open: each entry keeps what it replaced, chained as ``(value, earlier)``.
    A class, not a generator, and no list per object: optimizers and every module call enter one."""

    __slots__ = ("replaced",)

    def __call__(self, function: Callable) -> Callable:
        """``@no_grad()`` or ``@scope("layer")`` on a function, as in PyTorch."""
        if inspect.isgeneratorfunction(function):
            return self._around_each_resume(function)

        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return function(*args, **kwargs)
        return run

    def _around_each_resume(self, function: Callable) -> Callable:
        """A generator runs its body a piece at a time, each when resumed: each piece runs inside."""
        @functools.wraps(function)
        def generate(*args: Any, **kwargs: Any) -> Any:
            inner = function(*args, **kwargs)
            resume, value = inner.send, None
            while True:
                try:
                    with self:
                        item = resume(value)
                except StopIteration as stop:
                    return stop.value
                try:
                    value, resume = (yield item), inner.send
                except GeneratorExit:
                    with self:
                        inner.close()
                    raise
                except BaseException as error:  # thrown in by the caller: passed on to the generator
                    value, resume = error, inner.throw
        return generate


class _GradMode(_Block):
    """Sets ``grad_enabled`` for a ``with`` block."""

    __slots__ = ("enabled",)

    def __init__(self, enabled: bool) -> None:
        self.enabled, self.replaced = enabled, None

    def __enter__(self) -> None:
        global grad_enabled
        self.replaced = (grad_enabled, self.replaced)
        grad_enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        global grad_enabled
        grad_enabled, self.replaced = self.replaced


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
        self.name, self.replaced = name, None

    def __enter__(self) -> str:
        global scope
        inner = f"{scope}.{self.name}" if scope else self.name
        self.replaced, scope = (scope, self.replaced), inner
        return scope

    def __exit__(self, *exc: object) -> None:
        global scope
        scope, self.replaced = self.replaced
