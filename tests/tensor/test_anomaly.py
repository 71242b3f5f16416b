"""Anomaly mode names the first NaN/inf node: its op, input shapes and the line that made it."""

from __future__ import annotations

import pytest

import graphlab.tensor as T

# These tests make NaN and inf on purpose; NumPy's warnings about it are expected.
pytestmark = pytest.mark.filterwarnings("ignore:invalid value encountered", "ignore:divide by zero encountered",
                                        "ignore:overflow encountered")


def test_forward_nan_names_op_shapes_and_line(device):
    x = T.tensor([[1.0, -1.0]], requires_grad=True, device=device)
    with T.detect_anomaly(), pytest.raises(T.AnomalyError) as caught:
        y = x * 2.0
        y.log()  # the line the error must name
    error = caught.value
    line = error.where
    with open(__file__) as source:
        marked = next(i for i, text in enumerate(source, 1) if "# the line the error must name" in text)
    assert line.endswith(f"test_anomaly.py:{marked}")
    assert "log (inputs (1, 2))" in str(error) and "NaN or inf" in str(error) and line in str(error)
    assert str(error).endswith("log of a number near or below 0, at 1 of 2 elements")  # the op's declared edge
    trace = T.TensorTrace.from_tensor(error.output)
    assert [n.anomaly for n in trace.nodes] == [False, False, False, True]
    assert trace.nodes[-1].op == "log" and trace.nodes[-1].value.shape == (1, 2)


def test_backward_inf_is_caught_at_the_node_whose_gradient_breaks(device):
    x = T.tensor([0.0, 4.0], requires_grad=True, device=device)
    with T.detect_anomaly():
        y = x.sqrt()  # forward is finite; d√x/dx at 0 is inf
        with pytest.raises(T.AnomalyError, match=r"sqrt \(inputs \(2,\)\).*gradient contains NaN or inf: "
                                                 r"sqrt of a number near or below 0, at 1 of 2 elements") as caught:
            y.sum().backward()
    trace = T.TensorTrace.from_tensor(caught.value.output)
    assert [(n.op, n.anomaly) for n in trace.nodes] == [(None, False), ("sqrt", True), ("sum", False)]


def test_normal_mode_records_no_line_and_raises_nothing(device):
    x = T.tensor([-1.0], requires_grad=True, device=device)
    with pytest.warns(RuntimeWarning) if device == "cpu" else _nothing():
        y = x.log()
    assert y._where == "" and not y._anomaly


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_an_overflow_names_no_edge_and_a_division_by_zero_names_the_divisor(device):
    x = T.tensor([1.0, 2.0], requires_grad=True, device=device)
    with T.detect_anomaly(), pytest.raises(T.AnomalyError) as caught:
        (x * 1e30).exp()
    assert str(caught.value).endswith("its value contains NaN or inf")
    with T.detect_anomaly(), pytest.raises(T.AnomalyError, match="division by a number near 0, at 1 of 2 elements"):
        x / T.tensor([0.0, 1.0], device=device)
