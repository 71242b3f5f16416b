"""TensorTrace: the graph as plain data, with shapes, scopes, and value/gradient summaries."""

from __future__ import annotations

import json

import numpy as np
import pytest

import graphlab.tensor as T


def small_net(device):
    x = T.tensor([[1.0, -2.0]], dtype="float64", device=device)
    w = T.tensor([[0.5, 1.0, -1.0], [0.25, 0.0, 2.0]], dtype="float64", requires_grad=True, device=device)
    w.name = "W"
    with T.scope("layer"):
        h = (x @ w).relu()
    with T.scope("loss"):
        loss = (h * h).sum()
    return x, w, loss


def test_nodes_carry_op_shape_dtype_scope_and_inputs(device):
    *_, loss = small_net(device)
    trace = T.TensorTrace.from_tensor(loss, backward=True)
    ops = [(n.kind, n.op, n.shape, n.scope) for n in trace.nodes]
    assert ops == [("const", None, (1, 2), ""), ("input", None, (2, 3), ""),
                   ("op", "matmul", (1, 3), "layer"), ("op", "relu", (1, 3), "layer"),
                   ("op", "mul", (1, 3), "loss"), ("op", "sum", (), "loss")]
    assert trace.nodes[1].label == "W" and trace.nodes[3].label == "ReLU"
    assert trace.nodes[4].inputs == [3, 3] and trace.output == 5
    assert all(n.value.dtype == "float64" for n in trace.nodes)


def test_small_values_are_listed_and_gradients_recorded(device):
    _, w, loss = small_net(device)
    trace = T.TensorTrace.from_tensor(loss, backward=True)
    # h = relu([1·0.5 − 2·0.25, 1 − 0, −1 − 4]) = [0, 1, 0]; loss = 1; dloss/dh = 2h
    assert trace.nodes[3].value.values == [0.0, 1.0, 0.0]
    assert trace.nodes[3].grad.values == [0.0, 2.0, 0.0]
    assert trace.nodes[5].value.values == [1.0]
    assert trace.nodes[0].grad is None  # a constant gets no gradient
    # dloss/dW = xᵀ · (2h · relu'), relu' = [0, 1, 0] (relu'(0) = 0)
    assert trace.nodes[1].grad.values == [0.0, 2.0, 0.0, 0.0, -4.0, 0.0]
    assert w.grad.numpy().ravel().tolist() == trace.nodes[1].grad.values


def test_large_arrays_get_statistics_not_values():
    values = np.arange(12.0).reshape(3, 4)
    t = T.tensor(values, dtype="float64", requires_grad=True)
    trace = T.TensorTrace.from_tensor((t * 1.0).sum())
    summary = trace.nodes[0].value
    assert summary.values is None
    assert (summary.mean, summary.min, summary.max) == (5.5, 0.0, 11.0)
    assert summary.std == pytest.approx(values.std())


def test_to_dict_is_json_ready_and_numbers_constants(device):
    t = T.tensor([1.0, 2.0], requires_grad=True, device=device)
    trace = T.TensorTrace.from_tensor((t * 3.0).leaky_relu(0.2).sum(), backward=True)
    data = json.loads(json.dumps(trace.to_dict()))
    assert data["nodes"][1] | {"value": None} == {
        "id": 1, "kind": "const", "label": "3", "value": None, "grad": None, "op": None, "params": {},
        "inputs": [], "scope": "", "where": "", "anomaly": False}
    assert data["nodes"][3]["label"] == "LReLU(0.2)" and data["nodes"][3]["params"] == {"slope": 0.2}


def test_values_move_to_the_host_in_one_transfer(monkeypatch, device):
    from graphlab.backend import get_backend

    backend = get_backend(device)
    calls = []
    original = backend.to_host
    monkeypatch.setattr(backend, "to_host", lambda a: calls.append(a.shape) or original(a))
    t = T.randn(3, 4, requires_grad=True, device=device)
    loss = (t.tanh() @ t.T).softmax(1).sum()
    T.TensorTrace.from_tensor(loss, backward=True)
    assert len(calls) == 1


def test_a_freed_graph_is_a_clear_error():
    t = T.tensor([1.0, 2.0], requires_grad=True)
    loss = (t * t).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="already freed"):
        T.TensorTrace.from_tensor(loss)


def test_each_use_of_a_number_is_its_own_constant_node():
    from graphlab.tensor import tensor
    from graphlab.tensor.trace import TensorTrace

    x = tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2.0 + x * 2.0).sum()
    consts = [n for n in TensorTrace.from_tensor(y).nodes if n.kind == "const"]
    assert [n.label for n in consts] == ["2", "2"]
