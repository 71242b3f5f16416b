"""The explorer driven as a student drives it: keys and clicks through the pilot.

The numbers on screen are checked against the trace the library produced and,
for the lecture exercise, against the hand-computed solution (f = 20.00,
∂f/∂x0 = 40.00, ∂f/∂x1 = −40.00, ∂f/∂y0 = 20.00, ∂f/∂y1 = −20.00, rounding
every node to 2 decimals).
"""

from __future__ import annotations

import json
import math
import shutil

import pytest
from textual.widgets import Input, Static

from graphlab.trace import Trace
from graphlab.tui.app import ExplorerApp
from graphlab.tui.explain import expression
from graphlab.tui.graph_view import GraphView
from graphlab.tui.problem import Problem, open_source

SIZE = (200, 50)  # wide enough that the whole lecture graph is on screen
LECTURE_ANSWERS = {"x0": 40.0, "x1": -40.0, "y0": 20.0, "y1": -20.0}


def inspector_text(app: ExplorerApp) -> str:
    return str(app.query_one("#inspector-body", Static).content)


def screen_text(app: ExplorerApp) -> str:
    graph = app.query_one(GraphView)
    return "\n".join(graph.render_line(y).text for y in range(graph.size.height))


def status(app: ExplorerApp) -> str:
    return str(app.query_one("#status-bar", Static).content)


async def test_opening_the_lecture_exercise(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE):
        assert "Вариант 2" in str(app.query_one("#problem-bar", Static).content)
        assert "round to 2 decimals" in str(app.query_one("#problem-bar", Static).content)
        text = screen_text(app)
        for name in ("x0", "x1", "y0", "y1", "exp"):
            assert f"─ {name} " in text
        assert "20.00" not in text  # nothing computed yet
        assert "ready" in status(app)


async def test_stepping_forward_then_backward_matches_the_trace(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        trace = app.trace
        fmt = trace.policy.format
        ops = [n for n in trace.nodes if n.kind == "op"]
        for node in ops:  # forward, node by node, in an order where inputs come first
            await pilot.press("space")
            assert app.graph.selected == node.id == app.stepper.current
            assert all(app.stepper.value_known(i) for i in node.inputs)
            text = inspector_text(app)
            assert f"{expression(node)} = {fmt(node.value)}" in text
            for src in node.inputs:
                assert fmt(trace.nodes[src].value) in text
        assert app.stepper.phase == "backward"
        assert fmt(trace.root.value) == "20.00"

        stepped: list[int] = []
        for _ in app.stepper.backward_order:  # backward, node by node
            await pilot.press("space")
            node = trace.nodes[app.stepper.current]
            consumers = [e.dst for e in trace.consumers(node.id)]
            assert all(c in stepped for c in consumers), "a node's gradient needs all its consumers first"
            stepped.append(node.id)
            text = inspector_text(app)
            assert f"= {fmt(node.grad)}" in text
            contributions = [e.contribution for e in trace.consumers(node.id)]
            if len(contributions) > 1:
                assert "contributions add up" in text
                assert math.isclose(sum(contributions), node.grad, abs_tol=0.006)
            for rule_local, contribution in zip(node.local, node.contributions):
                if rule_local is not None:
                    assert f"{fmt(rule_local)} × {fmt(node.grad)} = {fmt(contribution)}" in text
        assert app.stepper.phase == "done"
        done = status(app)
        assert "f = 20.00" in done
        for name, grad in LECTURE_ANSWERS.items():
            assert f"∂{name} {fmt(grad)}" in done

        await pilot.press("b")
        assert app.stepper.phase == "backward"
        await pilot.press("r")
        assert app.stepper.position == 0 and "20.00" not in screen_text(app)
        await pilot.press("e")
        assert app.stepper.phase == "done" and "-400.00" in screen_text(app)


async def test_the_division_node_shows_its_local_derivative_formula(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        division = app.trace.output
        app.graph.selected = division
        app.refresh_view()
        text = inspector_text(app)
        # ∂(a/b)/∂b = −a/b² at a = 1, b = 0.05 (rounded): −400, times the initial gradient 1.
        assert "∂(a/b)/∂b = −a/b² = -400.00 × 1.00 = -400.00" in text
        assert "∂(a/b)/∂a = 1/b = 20.00 × 1.00 = 20.00" in text


async def test_arrows_and_clicks_select_nodes(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        first = app.graph.selected
        await pilot.press("right")
        assert app.graph.selected != first
        assert app.graph.graph_layout.boxes[app.graph.selected].layer == 2
        await pilot.press("left", "left")
        assert app.trace.nodes[app.graph.selected].kind == "input"
        box = app.graph.graph_layout.boxes[app.trace.output]
        await pilot.click(GraphView, offset=(box.x + 2 - int(app.graph.scroll_x), box.y + 1 - int(app.graph.scroll_y)))
        assert app.graph.selected == app.trace.output
        assert "output f" in inspector_text(app)


async def test_editing_an_input_recomputes_the_graph(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        field = app.screen.query_one("#input-0", Input)
        field.value = "2"
        await pilot.click("#apply")
        await pilot.pause()
        # x0 = 2: x0·y0 + x1·y1 = 4, exp(−4) = 0.0183 → 0.02, f = 2 / 0.02 = 100.00
        assert app.problem.inputs["x0"] == 2
        assert app.trace.policy.format(app.trace.value) == "100.00"
        await pilot.press("e")
        assert "100.00" in screen_text(app)


async def test_a_bad_input_value_is_named_in_the_form(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        app.screen.query_one("#input-3", Input).value = "two"
        await pilot.click("#apply")
        await pilot.pause()
        assert "y1" in str(app.screen.query_one("#settings-error", Static).content)
        assert app.problem.inputs["y1"] == -2


async def test_switching_rounding_changes_the_numbers(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert "20.00" in screen_text(app)
        def last_notice() -> str:
            return str(list(app._notifications)[-1].message)

        await pilot.press("d")  # 3 decimals: exp(−3) = 0.050, f = 1/0.050
        assert "f: 20.00 → 20.000" in last_notice()
        await pilot.press("d")  # 4 decimals: exp(−3) = 0.0498, f = 1/0.0498 = 20.0803
        assert "f: 20.000 → 20.0803" in last_notice()
        await pilot.press("d")  # exact
        assert app.trace.policy.exact
        assert math.isclose(app.trace.value, math.exp(3), rel_tol=1e-12)  # x0 / e^(−3) exactly
        assert "20.08553692" in screen_text(app)
        assert app.stepper.phase == "done"  # the walk stays where it was
        # exact → 0 and 1 decimal are skipped: exp(−3) = 0.0498 rounds to 0, and x0 / 0 fails.
        await pilot.press("d")
        assert app.trace.policy.decimals == 2
        await pilot.press("c")
        assert app.trace.policy.convention == "local_too"
        await pilot.press("t")
        assert app.trace.policy.ties == "even"


async def test_answering_the_exercise_right_and_wrong(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        assert app.quiz is not None and "score 0/" in status(app)
        first = app.graph.selected  # x0*y0 = 1
        assert app.trace.nodes[first].label == "x0*y0"
        await pilot.press("a")
        app.screen.query_one("#answer-value", Input).value = "1,00"  # a decimal comma is fine
        app.screen.query_one("#answer-grad", Input).value = "20"
        await pilot.click("#check")
        await pilot.pause()
        assert app.quiz.answers[(first, "value")].right and app.quiz.answers[(first, "grad")].right
        assert "score 2/" in status(app)
        assert "1.00✓" in screen_text(app)

        second = app.graph.selected
        assert second != first
        await pilot.press("a")
        app.screen.query_one("#answer-value", Input).value = "5"
        await pilot.click("#check")
        await pilot.pause()
        assert not app.quiz.answers[(second, "value")].right
        assert "5✗" in screen_text(app)
        assert "score 2/" in status(app)


async def test_an_answer_that_is_not_a_number_is_refused(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", "a")
        app.screen.query_one("#answer-value", Input).value = "twenty"
        await pilot.click("#check")
        await pilot.pause()
        assert "not a number" in str(app.screen.query_one("#answer-error", Static).content)
        assert app.quiz.answers == {}


async def test_a_hint_gives_the_rule_but_not_the_number(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        app.graph.selected = app.trace.output
        await pilot.press("h")
        await pilot.pause()
        hint = str(list(app._notifications)[-1].message)
        assert "a/b" in hint
        assert "20.00" not in hint and "20" not in hint.replace("x0", "")


async def test_a_bad_formula_shows_the_parser_message_with_the_caret(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        app.screen.query_one("#formula", Input).value = "x0 / * y0"
        app.screen.query_one("#at", Input).value = "x0=1 y0=2"
        await pilot.click("#open")
        await pilot.pause()
        message = str(app.screen.query_one("#formula-error", Static).content)
        lines = message.splitlines()
        assert "column 6" in lines[0]
        assert lines[1].strip() == "x0 / * y0"
        assert lines[2].index("^") == lines[1].index("*")
        # Fixing it opens the new graph.
        app.screen.query_one("#formula", Input).value = "x0 * y0 + x0"
        app.screen.query_one("#formula", Input).focus()
        await pilot.press("enter")
        assert app.trace.formula == "x0 * y0 + x0"
        await pilot.press("e")
        assert app.trace.grads() == {"x0": 3.0, "y0": 1.0}  # ∂/∂x0 (x0·y0 + x0) = y0 + 1


async def test_a_formula_that_does_not_parse_opens_the_formula_screen():
    app = ExplorerApp(open_source("x0 +* 2", {"x0": 1.0}))
    async with app.run_test(size=SIZE):
        message = str(app.screen.query_one("#formula-error", Static).content)
        assert "^" in message and "x0 +* 2" in message


async def test_saving_the_trace_and_the_diagram(lecture, tmp_path):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        target = tmp_path / "lecture.json"
        await pilot.press("s")
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.click("#save")
        await pilot.pause()
        saved = Trace.from_json(target.read_text())
        assert saved.grads() == LECTURE_ANSWERS
        assert json.loads(target.read_text())["value"] == 20.0
        for name, marker in [("lecture.SVG", "<svg"), ("lecture.txt", "∂f/∂x0 = 40.00")]:
            if name.endswith("SVG") and not shutil.which("dot"):
                continue
            await pilot.press("s")
            app.screen.query_one("#path", Input).value = str(tmp_path / name)
            await pilot.click("#save")
            await pilot.pause()
            assert marker in (tmp_path / name).read_text()
        await pilot.press("s")
        app.screen.query_one("#path", Input).value = str(tmp_path / "lecture.jpeg")
        await pilot.click("#save")
        await pilot.pause()
        message = str(app.screen.query_one("#export-error", Static).content)
        assert "lecture.jpeg: cannot write '.jpeg' files" in message and ".svg" in message
        assert not (tmp_path / "lecture.jpeg").exists()


async def test_a_trace_file_opens_as_recorded(lecture, tmp_path):
    path = tmp_path / "trace.json"
    path.write_text(lecture.solve().to_json())
    app = ExplorerApp(open_source(str(path)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert app.trace.grads() == LECTURE_ANSWERS
        assert "-400.00" in screen_text(app)


async def test_play_walks_on_its_own(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus", "plus", "plus")  # fastest
        await pilot.press("p")
        await pilot.pause(0.5)
        assert app.stepper.position > 1
        await pilot.press("p")
        stopped = app.stepper.position
        await pilot.pause(0.3)
        assert app.stepper.position == stopped


async def test_help_opens_and_closes(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert "keys" in str(app.screen.query_one(".dialog-title", Static).content)
        await pilot.press("escape")
        assert app.screen.query(GraphView)


async def test_a_graph_of_hundreds_of_nodes(chain_trace):
    trace = chain_trace(120)
    problem = Problem(title="chain", formula=None, inputs={}, policy=trace.policy, recorded=trace)
    app = ExplorerApp(problem)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "right", "right", "shift+right", "down")
        assert app.stepper.phase == "done"
        box = app.graph.graph_layout.boxes[app.graph.selected]
        assert app.graph.scroll_x <= box.x and box.right <= app.graph.scroll_x + app.graph.size.width


async def test_colours_follow_the_theme(lecture):
    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        graph = app.graph
        dark = graph.get_component_rich_style("graph--box-selected").color
        app.theme = "nord"
        await pilot.pause()
        nord = graph.get_component_rich_style("graph--box-selected").color
        assert dark != nord
        assert nord.triplet.hex.lower() == app.current_theme.accent.lower()


def test_run_reports_a_source_it_cannot_open(capsys):
    from graphlab.tui import run

    with pytest.raises(SystemExit) as stop:
        run("missing.json")
    assert stop.value.code == 2
    assert capsys.readouterr().err.strip() == "graphlab tui: missing.json: no such trace file"


async def test_a_trace_without_formula_cannot_be_recomputed(chain_trace):
    trace = chain_trace(3)
    app = ExplorerApp(Problem(title="chain", formula=None, inputs={}, policy=trace.policy, recorded=trace))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        assert app.trace is trace  # unchanged, and told why
        notices = [str(n.message) for n in app._notifications]
        assert len(notices) == 1 and "records no formula" in notices[0]


async def test_the_mode_decides_what_the_keys_do(lecture):
    from graphlab.tui.app import Mode

    app = ExplorerApp(lecture)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "p")
        assert app.playing and app.mode is Mode.STEP
        await pilot.press("x")  # the exercise stops the player and hides the stepping keys
        assert app.mode is Mode.EXERCISE and not app.playing and app.quiz is not None
        position = app.stepper.position
        await pilot.press("space", "e", "r", "p")
        assert app.stepper.position == position and not app.playing
        enabled = {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
        assert {"answer", "hint", "exercise"} <= enabled and not enabled & {"step", "to_end", "play"}
        assert "score 0/15" in status(app)
        await pilot.press("x")  # back to the walk where it was
        assert app.mode is Mode.STEP and app.quiz is None and "exercise" not in status(app)
        await pilot.press("space")
        assert app.stepper.position == position + 1
        enabled = {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
        assert {"step", "to_end", "play"} <= enabled


async def test_the_help_lists_every_binding_under_its_section(lecture):
    from graphlab.tui.app import HELP_SECTIONS

    bindings = [*ExplorerApp.BINDINGS, *GraphView.BINDINGS]
    listed = [action for actions in HELP_SECTIONS.values() for action in actions]
    assert len(listed) == len(set(listed))
    for binding in bindings:  # a new key must say what it does, and where the help lists it
        assert binding.tooltip, binding.key
        assert binding.action.split("(")[0] in listed, binding.action
    app = ExplorerApp(lecture)
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.press("question_mark")
        text = "\n".join(str(s.content) for s in app.screen.query(Static))
        for binding in bindings:
            assert binding.tooltip.split()[0] in text
        for keys in ("space / n", "e / end", "arrows", "shift+arrows", "ctrl+p", "+ / =", "?"):
            assert f"  {keys} " in text
        assert ".json" in text and ".tex" in text  # the save row lists the registry's formats
