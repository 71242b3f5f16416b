"""Fixtures for the explorer's tests: deterministic problems and a cursor that never blinks."""

from __future__ import annotations

import asyncio
import inspect

import pytest
from textual.widgets import Input

from graphlab import Value, round_to
from graphlab.tui.problem import Problem, open_source


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests (pilot tests) in a fresh event loop, without an async plugin."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


@pytest.fixture(autouse=True)
def progress_folder(tmp_path, monkeypatch):
    """Exercise progress goes to a folder of the test's own, never to the user's."""
    monkeypatch.setenv("GRAPHLAB_PROGRESS_DIR", str(tmp_path / "progress"))
    return tmp_path / "progress"


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    """Keep the text cursor visible, so snapshots do not depend on when they are taken."""

    def steady(self: Input) -> None:
        self._cursor_visible = True

    monkeypatch.setattr(Input, "_toggle_cursor", steady)


@pytest.fixture
def lecture() -> Problem:
    """The bundled lecture exercise (Вариант 2), as `graphlab tui` opens it."""
    return open_source(None)


@pytest.fixture
def chain_trace():
    """Builds a deep, branching graph of about ``3 * length`` nodes with the engine directly."""

    def build(length: int):
        with round_to(3):
            x, y = Value(0.5, "x"), Value(-0.25, "y")
            node = x
            for i in range(length):
                node = (node * y + x).tanh() if i % 2 else node + node * 0.5
        node.backward()
        return node.trace()

    return build
