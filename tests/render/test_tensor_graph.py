"""Tensor-graph diagrams, read through the DOT source: layers collapsed, ops expanded, statistics, anomalies."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

import graphlab.tensor as gt
from graphlab.render import RenderError, write
from graphlab.render.tensor_graph import WARNING_FILL, layer_layout, to_graphviz

SIZES = (5, 4, 3)
BATCH = 3


def mlp_trace(device: str = "cpu") -> tuple[gt.TensorTrace, list[gt.Tensor], gt.Tensor]:
    """A 5-4-3 MLP on three rows, layers in scopes mlp.fc1 / mlp.fc2, cross-entropy outside them.

    The numbers are drawn on the host (a GPU's generator draws others), so every device traces the same net.
    """
    generator = gt.Generator(0)
    x = gt.randn(BATCH, SIZES[0], generator=generator).to(device)
    x.name = "x"
    params = []
    h = x
    with gt.scope("mlp"):
        for i, (fan_in, fan_out) in enumerate(itertools.pairwise(SIZES), start=1):
            weight = gt.randn(fan_in, fan_out, generator=generator).to(device).requires_grad_()
            bias = gt.zeros(fan_out, requires_grad=True, device=device)
            weight.name, bias.name = f"W{i}", f"b{i}"
            params += [weight, bias]
            with gt.scope(f"fc{i}"):
                h = h @ weight + bias
                if i == 1:
                    h = h.relu()
    loss = -h.log_softmax(dim=1)[gt.arange(BATCH, device=device), gt.tensor([0, 2, 1], device=device)].mean()
    return gt.TensorTrace.from_tensor(loss, backward=True), params, h


def labels_of(source: str) -> dict[str, str]:
    """Node name → its HTML label text with tags removed."""
    found = {}
    for name, label in re.findall(r"^\s*(\w+) \[label=<(.*?)>[\s,\]]", source, flags=re.MULTILINE):
        found[name] = re.sub(r"<[^>]+>", " ", label)
    return found


def test_collapsed_draws_one_box_per_layer_with_its_parameters():
    trace, params, _ = mlp_trace()
    source = to_graphviz(trace, collapsed=True).source
    boxes = labels_of(source)
    layers = {name: text for name, text in boxes.items() if name.startswith("scope")}
    assert len(layers) == 2
    fc1, fc2 = (next(t for t in layers.values() if f"mlp.fc{i}" in t) for i in (1, 2))
    assert f"{5 * 4 + 4:,} parameters" in fc1 and f"{4 * 3 + 3:,} parameters" in fc2
    assert "@ → + → ReLU" in fc1 and "@ → +" in fc2 and "ReLU" not in fc2
    assert "3×4" in fc1 and "3×3" in fc2  # each layer's output shape
    assert "subgraph cluster" not in source
    assert not any(p.name in source for p in params)  # parameters are inside their layer's box
    # the data flows x → fc1 → fc2 → the loss ops, which have no scope and stay single boxes
    edges = re.findall(r"^\s*(\w+) -> (\w+)", source, flags=re.MULTILINE)
    x_box = next(name for name, text in boxes.items() if text.strip().startswith("x "))
    fc1_name = next(n for n, t in layers.items() if "mlp.fc1" in t)
    fc2_name = next(n for n, t in layers.items() if "mlp.fc2" in t)
    assert (x_box, fc1_name) in edges and (fc1_name, fc2_name) in edges
    assert sum(1 for src, _ in edges if src == fc2_name) == 1


def test_expanded_draws_every_node_in_nested_clusters():
    trace, _, _ = mlp_trace()
    source = to_graphviz(trace).source
    boxes = labels_of(source)
    assert len(boxes) == len(trace.nodes)
    assert len(re.findall(r"subgraph cluster_\d+ \{", source)) == 3  # mlp, mlp.fc1, mlp.fc2
    mlp_start = source.index("<b>mlp</b>")
    fc1_start = source.index("<b>fc1</b>")
    assert mlp_start < fc1_start  # fc1's cluster is opened inside mlp's
    w1_line = source.index("W1")
    assert fc1_start < w1_line < source.index("<b>fc2</b>")  # W1 is drawn inside fc1's cluster
    edges = re.findall(r"^\s*n(\d+) -> n(\d+)", source, flags=re.MULTILINE)
    assert len(edges) == sum(len(node.inputs) for node in trace.nodes)


def test_statistics_are_the_tensor_s_own():
    trace, _, hidden = mlp_trace()
    values = hidden.numpy()
    node = next(n for n in trace.nodes if n.shape == values.shape and n.op == "add" and n.scope == "mlp.fc2")
    text = labels_of(to_graphviz(trace).source)[f"n{node.id}"]
    for statistic in (values.mean(), values.std(), values.min(), values.max()):
        assert f"{statistic:.4g}".replace("-", "−") in text


def test_small_tensors_show_their_values_and_gradients():
    x = gt.tensor([1.0, -2.0, 3.5], requires_grad=True)
    x.name = "x"
    y = (x * x).sum()
    text = labels_of(to_graphviz(gt.TensorTrace.from_tensor(y, backward=True)).source)["n0"]
    assert "[1, −2, 3.5]" in text and "∇ [2, −4, 7]" in text  # d(Σx²)/dx = 2x


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_an_anomaly_is_drawn_in_the_warning_colour_with_its_line():
    x = gt.tensor([1.0, -1.0], requires_grad=True)
    with gt.detect_anomaly(), pytest.raises(gt.AnomalyError) as caught:
        (x * 2.0).log()
    trace = gt.TensorTrace.from_tensor(caught.value.output)
    for collapsed in (False, True):
        source = to_graphviz(trace, collapsed=collapsed).source
        marked = [line for line in source.splitlines() if WARNING_FILL in line]
        assert len(marked) == 1 and "<b>ln</b>" in marked[0] and "test_tensor_graph.py:" in marked[0]


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_a_layer_holding_the_anomaly_is_marked():
    x = gt.tensor([[1.0, -1.0]])
    w = gt.tensor([[1.0], [2.0]], requires_grad=True)
    with gt.detect_anomaly(), pytest.raises(gt.AnomalyError) as caught, gt.scope("layer"):
        (x @ w).sqrt()
    layout = layer_layout(gt.TensorTrace.from_tensor(caught.value.output))
    layer = next(box for box in layout.boxes if box.title == "layer")
    assert layer.anomaly and layer.parameters == 2


def test_same_computation_same_source():
    first = to_graphviz(mlp_trace()[0], collapsed=True).source
    second = to_graphviz(mlp_trace()[0], collapsed=True).source
    assert first == second


NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?(?:e[−+-]?\d+)?")


def skeleton_and_numbers(source: str) -> tuple[str, list[float]]:
    """The DOT source with every number replaced by ``#``, and the numbers."""
    numbers = [float(n.replace("−", "-")) for n in NUMBER.findall(source)]
    return NUMBER.sub("#", source), numbers


def test_a_device_trace_renders_as_the_cpu_one(other_device):
    """The renderer reads only the trace's host summaries, so a device that refuses host copies still draws.

    A GPU sums in another order: its statistics agree to the digits shown, but for
    gradient means that are rounding noise around zero (1e-9 in float32).
    """
    cpu = skeleton_and_numbers(to_graphviz(mlp_trace("cpu")[0]).source)
    other = skeleton_and_numbers(to_graphviz(mlp_trace(other_device)[0]).source)
    assert other[0] == cpu[0]
    np.testing.assert_allclose(other[1], cpu[1], rtol=2e-3, atol=1e-6)  # a last digit may round the other way
    if other_device == "array_api_strict":
        assert other == cpu


def test_write_gives_dot_and_svg(tmp_path):
    trace, _, _ = mlp_trace()
    dot_path = write(trace, tmp_path / "mlp.dot", collapsed=True)
    assert dot_path.read_text() == to_graphviz(trace, collapsed=True).source
    svg = write(trace, tmp_path / "mlp.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "mlp" in svg
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mlp.dot", "mlp.svg"]  # no temp files left


def test_unknown_suffix_is_refused(tmp_path):
    with pytest.raises(RenderError, match=r"cannot write '\.jpg' files"):
        write(mlp_trace()[0], tmp_path / "mlp.jpg")
    assert not any(tmp_path.iterdir())


def test_values_summary_matches_numpy_for_the_output():
    trace, _, _ = mlp_trace()
    out = trace.nodes[trace.output]
    assert out.value.shape == () and np.isfinite(out.value.values[0]) and out.grad.values == [1.0]
