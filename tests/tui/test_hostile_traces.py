"""The explorer on the corpus's unusual but valid traces: markup in labels is text, NaN and inf are marked."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from graphlab.tui.app import ExplorerApp
from graphlab.tui.graph_view import GraphView
from graphlab.tui.problem import open_source

TRACES = Path(__file__).parents[1] / "hostile" / "traces"


def screen_text(app: ExplorerApp) -> str:
    graph = app.query_one(GraphView)
    return "\n".join(graph.render_line(y).text for y in range(graph.size.height))


async def test_labels_with_markup_are_shown_as_written():
    app = ExplorerApp(open_source(str(TRACES / "label-markup.json")))
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("e")  # both passes: the status bar lists every input's gradient
        await pilot.pause()
        status = str(app.query_one("#status-bar", Static).content)
        assert "∂[/] -40.00" in status and "∂[bold]y1 -20.00" in status
        await pilot.press("i")  # the inputs form names each input
        await pilot.pause()
        labels = [str(label.content) for label in app.screen.query(".field-label")]
        assert "[/]" in labels and "[bold]y1" in labels
        await pilot.press("escape")
        app.query_one(GraphView).selected = 9
        app.refresh_view()
        await pilot.pause()
        assert "[/]x0[bold red]/exp(…)" in str(app.query_one("#inspector-body", Static).content)


async def test_nan_and_infinite_numbers_are_marked():
    app = ExplorerApp(open_source(str(TRACES / "nan-values.json")))
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        [warning] = [n for n in app._notifications if n.title == "Not finite"]
        assert warning.message.startswith("2 node(s) hold NaN or infinite numbers (#8, #9), marked ⚠")
        text = screen_text(app)
        assert "⚠nan" in text and "⚠inf" in text
        app.query_one(GraphView).selected = 8
        app.refresh_view()
        await pilot.pause()
        assert "⚠nan" in str(app.query_one("#inspector-body", Static).content)
        await pilot.press("x")  # exercise mode: no answer can be right for a NaN, and nothing breaks
        await pilot.pause()
