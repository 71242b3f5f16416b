"""Exercise mode is fair: no number gives an asked one away, mistakes are explained as the grader explains
them, tries and hints count, nothing is discarded without asking, and progress comes back."""

from __future__ import annotations

import re

from textual.widgets import Input, Static

from graphlab.tui.app import ExplorerApp, Mode
from graphlab.tui.confirm_screen import ConfirmScreen
from graphlab.tui.inspector import describe_node
from graphlab.tui.quiz import HINT_COST, TRY_COST, Quiz

SIZE = (200, 50)


def inspector_text(app: ExplorerApp) -> str:
    return str(app.query_one("#inspector-body", Static).content)


def node_of(app: ExplorerApp, label: str) -> int:
    return next(n.id for n in app.trace.nodes if n.label == label)


async def answer(pilot, node: int, value: str | None = None, grad: str | None = None) -> None:
    app = pilot.app
    app.graph.selected = node
    await pilot.press("a")
    if value is not None:
        app.screen.query_one("#answer-value", Input).value = value
    if grad is not None:
        app.screen.query_one("#answer-grad", Input).value = grad
    await pilot.click("#check")
    await pilot.pause()


def select(app: ExplorerApp, node: int) -> None:
    app.graph.selected = node
    app.refresh_view()


def last_notice(app: ExplorerApp) -> str:
    return str(list(app._notifications)[-1].message)


async def test_no_product_gives_away_an_asked_gradient(lecture):
    """At the division the lecture's "1.00 × −400.00 = −400.00" is ∂f/∂exp itself: hidden until it is answered."""
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        exp = node_of(app, "exp(-(x0*y0 + x1*y1))")
        select(app, app.trace.output)
        assert "-400.00" not in inspector_text(app) and "−a/b² = · × 1.00 = ·" in inspector_text(app)
        select(app, exp)
        assert "-400.00" not in inspector_text(app)
        await answer(pilot, exp, value="0,05", grad="-400")
        select(app, app.trace.output)
        assert "−a/b² = -400.00 × 1.00 = -400.00 → exp" in inspector_text(app)  # answered: shown
        assert "1/b = · × 1.00 = · → x0" in inspector_text(app)  # ∂f/∂x0 still asked


def test_before_any_answer_no_inspector_shows_an_asked_number(lecture):
    """The lecture's asked numbers (values 1, 2, 3, −3, 0.05, 20; gradients 20, −20, −400, 40, −40) appear in
    no node's inspector before they are answered: only the inputs and the initial gradient do."""
    trace = lecture.solve()
    quiz = Quiz(trace)
    fmt = trace.policy.format
    given = {fmt(n.value) for n in trace.inputs.values()} | {fmt(trace.gradient)}
    asked = {fmt(quiz.expected(*q)) for q in quiz.asked} - given
    for node in trace.nodes:
        shown = set(re.findall(r"-?\d+\.\d\d", str(describe_node(trace, node.id, quiz))))
        assert not shown & asked, (node.id, shown & asked)


async def test_mistakes_are_explained_as_the_grader_explains_them(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        x1 = app.trace.inputs["x1"].id
        await answer(pilot, x1, grad="40")
        assert last_notice(app) == "gradient wrong: the sign is wrong"
        product = node_of(app, "x1*y1")
        await answer(pilot, product, value="-2")
        await answer(pilot, node_of(app, "x0*y0 + x1*y1"), value="-1")
        assert last_notice(app) == "value: right for your -2.00 (#5) — but those numbers are not the key's"
        assert "-1≈" in "\n".join(app.graph.render_line(y).text for y in range(app.graph.size.height))
    fresh = ExplorerApp(lecture)
    async with fresh.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await answer(pilot, fresh.trace.inputs["x0"].id, grad="20")  # 20 + 20: one consumer's share left out
        assert last_notice(fresh).startswith("gradient wrong: the contribution from #")


async def test_tries_and_hints_count_in_the_score(lecture, progress_folder):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        first = node_of(app, "x0*y0")
        await answer(pilot, first, value="2")  # wrong
        await answer(pilot, first, value="1")  # right on the second try
        app.graph.selected = first
        await pilot.press("h")  # the gradient is still open: the hint costs it
        await answer(pilot, first, grad="20")
        quiz = app.quiz
        assert quiz.credit(first, "value") == 1 - TRY_COST and quiz.credit(first, "grad") == 1 - HINT_COST
        assert "score 1.5/15 · 1 wrong tries · 1 hints" in str(app.query_one("#status-bar", Static).content)


async def test_progress_is_saved_and_resumed(lecture, progress_folder):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        first = node_of(app, "x0*y0")
        await answer(pilot, first, value="3")
        await answer(pilot, first, value="1", grad="20")
        await pilot.press("x")  # leaving asks nothing: the answers are on disk
        assert app.mode is Mode.STEP and not isinstance(app.screen, ConfirmScreen)
        assert "are saved: x brings them back" in last_notice(app)
    assert len(list(progress_folder.glob("*.json"))) == 1
    again = ExplorerApp(lecture)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        assert again.quiz.answers[(first, "grad")].right and again.quiz.tries[(first, "value")] == 1
        assert "Resumed 2 answers" in str(next(iter(again._notifications)).message)
        assert again.graph.selected != first  # on to the next number to answer


async def test_starting_over_asks_first_and_forgets(lecture, progress_folder):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await answer(pilot, node_of(app, "x0*y0"), value="1")
        await pilot.press("R")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert len(app.quiz.answers) == 1
        await pilot.press("R", "y")
        assert app.quiz.answers == {} and list(progress_folder.glob("*.json")) == []


async def test_answers_that_cannot_be_saved_are_not_lost_without_asking(lecture, progress_folder, monkeypatch):
    progress_folder.parent.mkdir(exist_ok=True)
    progress_folder.write_text("a file where the folder should be")
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await answer(pilot, node_of(app, "x0*y0"), value="1")
        assert any("Your answers are not saved" in str(n.message) for n in app._notifications)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen) and app.mode is Mode.EXERCISE
        await pilot.press("n")
        assert app.mode is Mode.EXERCISE and len(app.quiz.answers) == 1
        await pilot.press("d")  # another rounding would start another exercise: asked too
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert app.trace.policy.decimals != 2 and app.quiz.answers == {}


def test_a_damaged_progress_file_is_skipped(lecture):
    quiz = Quiz(lecture.solve())
    restored = quiz.restore({"answers": [{"node": "x", "field": "value", "text": "1"}, {"node": 4},
                                         {"node": 4, "field": "value", "text": "1"}, {"node": 99, "field": "grad",
                                                                                     "text": "1"}],
                             "tries": [{"node": [1], "field": "value", "count": 3}, "junk",
                                       {"node": 4, "field": "value", "count": 10**9}],
                             "hints": [{"node": 4, "fields": ["value", 7]}, {"node": True, "fields": ["grad"]}]})
    assert restored == 1 and quiz.answers[(4, "value")].right
    assert quiz.wrong_tries == 0 and quiz.hints == 1  # the saved hint stands; the junk and the huge count do not
    assert quiz.credit(4, "value") == 1 - HINT_COST
