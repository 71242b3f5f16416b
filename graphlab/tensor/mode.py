"""Global recording state: is the graph being recorded, and under which name scope.

Module attributes, read on every op, so checking them costs one lookup.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

grad_enabled = True
"""Ops record the graph only while this is true (``no_grad()`` turns it off)."""

scope = ""
"""The current module/name scope, dotted (``"model.fc1"``); every node records it."""


@contextmanager
def _grad_mode(enabled: bool) -> Iterator[None]:
    global grad_enabled
    previous, grad_enabled = grad_enabled, enabled
    try:
        yield
    finally:
        grad_enabled = previous


def no_grad():
    """Evaluate without recording the graph: inference, and parameter updates in optimizers."""
    return _grad_mode(False)


def enable_grad():
    """Record the graph again inside a ``no_grad()`` block."""
    return _grad_mode(True)


def is_grad_enabled() -> bool:
    return grad_enabled


@contextmanager
def name_scope(name: str) -> Iterator[str]:
    """Record ``name`` (nested: ``outer.name``) on every node created inside, for collapsed drawings."""
    global scope
    previous = scope
    scope = f"{previous}.{name}" if previous else name
    try:
        yield scope
    finally:
        scope = previous
