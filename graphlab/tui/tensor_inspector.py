"""What the tensor explorer's inspector says about a box: what it is, its shapes, its numbers, where it was made."""

from __future__ import annotations

from rich.text import Text

from graphlab.tensor.trace import Summary, TensorTraceNode
from graphlab.trace import NodeKind
from graphlab.tui.tensor_boxes import BoxGraph, TensorBox, number, shape_text, short_where, statistics

LABEL_WIDTH = 11


def describe_box(graph: BoxGraph, box: TensorBox) -> Text:
    """The inspector's text: a header, the layer's ops and parameters or the op's inputs, output statistics,
    the creating line of code and the anomaly mark."""
    trace = graph.trace
    node = box.node
    text = Text()
    if box.layer:
        text.append(f"▸ {box.title}", "bold")
        text.append("  layer · enter expands it into its ops\n", "dim")
        ops = [trace.nodes[m] for m in box.members if trace.nodes[m].kind == NodeKind.OP]
        _row(text, "ops", " → ".join(op.label for op in ops))
        parameters = [trace.nodes[m] for m in box.members if trace.nodes[m].kind == NodeKind.INPUT]
        if parameters:
            listed = ", ".join(f"{p.label or 'parameter'} {shape_text(p.value).split()[0]}" for p in parameters)
            _row(text, "parameters", f"{graph.layer_parameters[box.id]:,} ({listed})")
        _row(text, "output", f"{node.label} · {shape_text(node.value)}")
    else:
        kind = {"op": f"op {node.op}", "input": "parameter (a leaf that needs a gradient)",
                "const": "input (a leaf without gradient)"}[node.kind]
        text.append(box.title, "bold")
        text.append(f"  #{node.id} {kind}\n", "dim")
        if box.scope:
            _row(text, "layer", box.scope + ("  (enter collapses it)" if node.kind == NodeKind.OP else ""))
        if node.inputs:
            _row(text, "inputs", ", ".join(_name(trace.nodes[i]) + " " + shape_text(trace.nodes[i].value).split()[0]
                                           for i in node.inputs))
        if node.params:
            _row(text, "parameters", ", ".join(f"{k}={v}" for k, v in node.params.items()))
        _row(text, "shape", shape_text(node.value))
    _statistics(text, "value", node.value, "green")
    if node.grad is not None:
        _statistics(text, "gradient", node.grad, "red")
    else:
        _row(text, "gradient", "none recorded" if node.kind != NodeKind.CONST else "none: nothing flows into an input",
             "dim")
    where = next((trace.nodes[m].where for m in box.members if trace.nodes[m].where), "")
    if where:
        _row(text, "made at", short_where(where))
    elif any(trace.nodes[m].kind == NodeKind.OP for m in box.members):
        _row(text, "made at", "(lines are recorded under detect_anomaly())", "dim")
    if box.anomaly:
        culprit = next(trace.nodes[m] for m in box.members if trace.nodes[m].anomaly)
        text.append(f"⚠ NaN or infinity first appears here: {_name(culprit)}", "bold red")
        text.append(f" at {short_where(culprit.where)}\n" if culprit.where else "\n", "bold red")
    return text


def _name(node: TensorTraceNode) -> str:
    return node.label or f"#{node.id}"


def _row(text: Text, label: str, value: str, style: str = "") -> None:
    text.append(label.ljust(LABEL_WIDTH), "bold")
    text.append(value + "\n", style)


def _statistics(text: Text, label: str, summary: Summary, style: str) -> None:
    if summary.values is not None:
        _row(text, label, statistics(summary), style)
        return
    _row(text, label, f"{statistics(summary)}  min {number(summary.min)}  max {number(summary.max)}", style)
