"""Grad mode: whether ops record the graph, one switch for both engines.

``no_grad()`` stops recording for ``Value`` and ``Tensor`` alike, as PyTorch's
does for every tensor: inside it, ops compute their values and link nothing
to their inputs. The switch is a module attribute read on every op, so
checking it costs one lookup.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

enabled = True
"""Ops record the graph only while this is true."""


class Block:
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


class _GradMode(Block):
    """Sets ``enabled`` for a ``with`` block."""

    __slots__ = ("enabled",)

    def __init__(self, enabled: bool) -> None:
        self.enabled, self.replaced = enabled, None

    def __enter__(self) -> None:
        global enabled
        self.replaced = (enabled, self.replaced)
        enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        global enabled
        enabled, self.replaced = self.replaced


def no_grad() -> _GradMode:
    """Evaluate without recording the graph: inference, and parameter updates in optimizers."""
    return _GradMode(False)


def enable_grad() -> _GradMode:
    """Record the graph again inside a ``no_grad()`` block."""
    return _GradMode(True)


def is_grad_enabled() -> bool:
    return enabled


class set_grad_enabled(_GradMode):
    """Turn recording on or off now (``set_grad_enabled(False)``) or for a ``with`` block, as PyTorch's."""

    __slots__ = ("before",)

    def __init__(self, mode: bool) -> None:
        global enabled
        super().__init__(bool(mode))
        self.before, enabled = enabled, bool(mode)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        global enabled
        enabled = self.before


def inference_mode(mode: bool = True) -> _GradMode:
    """``torch.inference_mode``: graphlab's ``no_grad()`` (``mode=False`` records as usual)."""
    return _GradMode(not mode)
