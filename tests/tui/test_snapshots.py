"""Snapshots of the main screens at 80×24 and 120×40 (cursor blink off: see conftest).

Each picture was looked at when it was accepted; the numbers in it are the
lecture's hand-computed ones (f = 20.00, ∂f/∂x0 = 40.00, …), checked by the
behaviour tests. Update with ``pytest tests/tui --snapshot-update`` after a
deliberate change, and look at the new pictures.
"""

from __future__ import annotations

import pytest

from graphlab.tui.app import ExplorerApp
from graphlab.tui.problem import open_source

SIZES = [(80, 24), (120, 40)]


def lecture_app() -> ExplorerApp:
    return ExplorerApp(open_source(None))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_start(snap_compare, size):
    assert snap_compare(lecture_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_after_forward_pass(snap_compare, size):
    assert snap_compare(lecture_app(), press=["f"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_after_backward_pass(snap_compare, size):
    assert snap_compare(lecture_app(), press=["e"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, size):
    assert snap_compare(lecture_app(), press=["question_mark"], terminal_size=size)


def test_exercise_with_answers(snap_compare):
    async def answer(pilot):
        app = pilot.app
        await pilot.press("x", "a")
        app.screen.query_one("#answer-value").value = "1,00"
        app.screen.query_one("#answer-grad").value = "20"
        await pilot.press("enter", "enter")  # on to the gradient field, then check
        await pilot.press("a")
        app.screen.query_one("#answer-value").value = "5"
        await pilot.press("enter", "enter")
        await pilot.pause()

    assert snap_compare(lecture_app(), run_before=answer, terminal_size=(120, 40))


def test_formula_error(snap_compare):
    async def type_bad_formula(pilot):
        await pilot.press("o")
        pilot.app.screen.query_one("#formula").value = "x0 / * y0"
        await pilot.press("enter")

    assert snap_compare(lecture_app(), run_before=type_bad_formula, terminal_size=(80, 24))


def test_inputs_and_rounding(snap_compare):
    assert snap_compare(lecture_app(), press=["i"], terminal_size=(80, 24))
