"""The tensor explorer: boxes per layer, expansion, the drawing, the inspector, the file, and the app."""

from __future__ import annotations

import json

import pytest
from tensor_fixtures import mlp_trace, nan_trace

import graphlab.tensor as gt
from graphlab.cli import main
from graphlab.tensor.trace_file import TensorTraceError, is_tensor_trace_file, read_tensor_trace
from graphlab.tui.tensor_app import TensorExplorerApp
from graphlab.tui.tensor_boxes import box_graph
from graphlab.tui.tensor_canvas import BOX_HEIGHT, BOX_WIDTH, Canvas
from graphlab.tui.tensor_inspector import describe_box


def titles(graph) -> list[str]:
    return [box.title for box in graph.nodes]


def test_one_box_per_layer_and_a_layer_expands_into_its_ops_and_parameters():
    trace = mlp_trace()
    collapsed = box_graph(trace)
    assert [b.title for b in collapsed.nodes if b.layer] == ["fc1", "fc2", "loss"]
    assert set(titles(collapsed)) == {"x", "fc1", "fc2", "loss"}  # the labels index, inside the loss
    fc1 = next(b for b in collapsed.nodes if b.title == "fc1")
    assert collapsed.layer_parameters[fc1.id] == 6 * 4 + 4 and fc1.node.label == "ReLU"  # shows the layer's output
    expanded = box_graph(trace, {"fc1"})
    assert {"fc1.weight", "fc1.bias", "@", "+", "ReLU"} <= set(titles(expanded)) and "fc1" not in titles(expanded)
    for graph in (collapsed, expanded):  # every box's inputs come before it, as the layered layout reads
        assert all(i < box.id for box in graph.nodes for i in box.inputs)
        assert sorted(graph.box_of) == list(range(len(trace.nodes)))


def test_a_layer_that_would_loop_through_another_is_shown_op_by_op():
    x = gt.tensor([1.0, 2.0], requires_grad=True)
    with gt.scope("a"):
        first = x * 2.0
    with gt.scope("b"):
        middle = first + 1.0
    with gt.scope("a"):
        last = middle * first
    graph = box_graph(gt.TensorTrace.from_tensor(last.sum()))
    assert not any(box.layer for box in graph.nodes)  # a → b → a: grouping a would make a cycle


def test_the_drawing_places_boxes_apart_and_enters_each_from_above():
    canvas = Canvas(box_graph(mlp_trace(), {"fc2"}))
    text = canvas.render(selected=0).plain.splitlines()
    spots = [(p.x, p.y) for p in canvas.placed]
    assert len(set(spots)) == len(spots)
    for a in canvas.placed:
        for b in canvas.placed:
            if a is not b:
                assert a.x + BOX_WIDTH <= b.x or b.x + BOX_WIDTH <= a.x or a.y + BOX_HEIGHT <= b.y or b.y + BOX_HEIGHT <= a.y
    for placed in canvas.placed:
        assert text[placed.y][placed.x] == "╭" and text[placed.y + BOX_HEIGHT - 1][placed.x] == "╰"
        if placed.box.inputs:
            assert text[placed.y - 1][placed.x + BOX_WIDTH // 2] == "▼"
    assert canvas.box_at(canvas.placed[3].x + 2, canvas.placed[3].y + 1) is canvas.placed[3].box
    assert canvas.box_at(canvas.width + 5, 0) is None


def test_the_inspector_shows_shapes_statistics_parameters_and_where_lines_are_recorded():
    graph = box_graph(mlp_trace())
    fc1 = describe_box(graph, next(b for b in graph.nodes if b.title == "fc1")).plain
    assert "ops        @ → + → ReLU" in fc1 and "parameters 28 (fc1.weight 6×4, fc1.bias 4)" in fc1
    assert "output     ReLU · 5×4 float32" in fc1 and "value      μ " in fc1 and "gradient   μ " in fc1
    assert "recorded under detect_anomaly()" in fc1
    data = describe_box(graph, next(b for b in graph.nodes if b.title == "x")).plain
    assert "x  #0 input" in data and "shape      5×6 float32" in data and "nothing flows into an input" in data


def test_an_anomaly_is_marked_on_its_layer_with_the_line_that_made_it():
    graph = box_graph(nan_trace())
    layer = next(b for b in graph.nodes if b.layer)
    assert layer.anomaly and "⚠" in Canvas(graph).render(None).plain
    text = describe_box(graph, layer).plain
    assert "⚠ NaN or infinity first appears here: √ at tensor_fixtures.py:" in text
    assert "made at    tensor_fixtures.py:" in text


# -- the file ---------------------------------------------------------------------------------------


def test_a_tensor_trace_round_trips_through_its_file(tmp_path):
    trace = mlp_trace()
    path = tmp_path / "trace.json"
    trace.save(path)
    assert is_tensor_trace_file(path) and not is_tensor_trace_file(tmp_path / "absent.json")
    again = read_tensor_trace(path)
    assert json.loads(again.to_json()) == json.loads(trace.to_json())
    assert gt.TensorTrace.load(path).to_dict() == again.to_dict()


def test_a_nan_survives_the_file(tmp_path):
    path = tmp_path / "nan.json"
    path.write_text(nan_trace().to_json())
    marked = [n for n in read_tensor_trace(path).nodes if n.anomaly]
    assert len(marked) == 1 and marked[0].op == "sqrt"


@pytest.mark.parametrize("change, where", [
    (lambda d: d.update(format="graphlab.tensor-trace/9"), "format: expected 'graphlab.tensor-trace/1'"),
    (lambda d: d.update(output=99), "output: expected a node id from 0 to"),
    (lambda d: d["nodes"][3].update(inputs=[7]), "nodes[3].inputs: expected a list of ids of earlier nodes"),
    (lambda d: d["nodes"][0]["value"].update(shape=[-1]), "nodes[0].value.shape: expected a list of at most"),
    (lambda d: d["nodes"][0]["value"].update(mean="big"), "nodes[0].value.mean: expected a number or null"),
    (lambda d: d["nodes"][1].update(kind="weight"), "nodes[1].kind: expected one of input, const, op"),
    (lambda d: d["nodes"].clear(), "nodes: expected a list of 1 to"),
])
def test_a_broken_tensor_trace_names_the_place(tmp_path, change, where):
    data = json.loads(mlp_trace().to_json())
    change(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    with pytest.raises(TensorTraceError, match=f"^{path}: " + where.replace("[", r"\[").replace("]", r"\]")):
        read_tensor_trace(path)


def test_the_command_opens_a_tensor_trace_only_in_a_terminal_and_refuses_rounding(tmp_path, capsys):
    path = tmp_path / "net.json"
    path.write_text(mlp_trace().to_json())
    assert main(["tui", str(path)]) == 2
    assert "runs in a terminal" in capsys.readouterr().err
    assert main(["tui", str(path), "--round", "2"]) == 2
    assert "is a tensor trace" in capsys.readouterr().err
    path.write_text(path.read_text().replace('"output": ', '"output": "x", "was": '))
    assert main(["tui", str(path)]) == 2
    assert "output: expected a node id" in capsys.readouterr().err


# -- the app ----------------------------------------------------------------------------------------


async def test_arrows_select_enter_expands_and_a_click_picks_a_box():
    app = TensorExplorerApp(mlp_trace(), "mlp")
    async with app.run_test(size=(140, 40)) as pilot:
        assert app.box.title == "loss"  # the output first
        await pilot.press("up")
        assert app.box.title == "fc2"
        await pilot.press("enter")
        assert app.expanded == {"fc2"} and app.box.title == "+"  # the layer's output op, now its own box
        assert "layer      fc2  (enter collapses it)" in str(app.query_one("#inspector-body").render())
        await pilot.press("enter")
        assert app.expanded == frozenset() and app.box.title == "fc2"
        await pilot.press("a")
        assert app.expanded == {"fc1", "fc2", "loss"}
        await pilot.press("a")
        target = next(p for p in app.canvas.placed if p.box.title == "fc1")
        await pilot.click("#canvas", offset=(target.x + 3, target.y + 2))
        assert app.box.title == "fc1"
        await pilot.click("#canvas", offset=(target.x + 3, target.y + 2))  # again: it opens
        assert app.expanded == {"fc1"}


async def test_the_app_starts_at_the_anomaly_and_n_returns_to_it():
    app = TensorExplorerApp(nan_trace())
    async with app.run_test(size=(120, 30)) as pilot:
        assert app.box.anomaly
        await pilot.press("down", "up", "up")
        await pilot.press("n")
        assert app.box.anomaly
        assert "⚠" in str(app.query_one("#status-bar").render())


def test_snapshot_collapsed(snap_compare):
    assert snap_compare(TensorExplorerApp(mlp_trace(), "mlp"), terminal_size=(120, 40))


def test_snapshot_a_layer_expanded(snap_compare):
    assert snap_compare(TensorExplorerApp(mlp_trace(), "mlp"), press=["up", "enter"],
                        terminal_size=(120, 40))


def test_explore_in_a_notebook_says_what_to_do_instead(monkeypatch):
    import graphlab.render.notebook

    monkeypatch.setattr(graphlab.render.notebook, "in_notebook", lambda: True)
    with pytest.raises(RuntimeError, match=r"show the trace itself .* `graphlab tui step.json`"):
        mlp_trace().explore()
