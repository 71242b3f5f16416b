"""graphlab and PyTorch hand each other tensors and state dicts, and graphlab draws PyTorch's own graphs."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import graphlab.tensor as T
from graphlab import nn
from graphlab.render.tensor_graph import to_graphviz
from graphlab.tensor.interop import from_dlpack, state_dict_from_torch, state_dict_to_torch
from graphlab.trace import NodeKind

torch = pytest.importorskip("torch")


def test_dlpack_shares_memory_both_ways():
    theirs = torch.arange(6.0).reshape(2, 3)
    ours = from_dlpack(theirs)
    ours[0, 0] = 100.0
    assert theirs[0, 0].item() == 100.0 and ours.dtype == "float32"
    back = torch.from_dlpack(ours)
    back[1, 2] = -1.0
    assert ours[1, 2].item() == -1.0
    assert T.from_dlpack is from_dlpack
    with pytest.raises(RuntimeError, match=r"requires grad; call \.detach"):
        torch.from_dlpack(T.ones(2, requires_grad=True))
    with pytest.raises(TypeError, match="float32, float64, int64 or bool, this array is int32"):
        from_dlpack(torch.zeros(2, dtype=torch.int32))


def test_numpy_and_pytorch_read_a_graphlab_tensor():
    t = T.tensor([[1.0, 2.0]])
    assert np.asarray(t).tolist() == [[1.0, 2.0]] and np.asarray(t, dtype=np.float64).dtype == np.float64
    assert torch.tensor(t).tolist() == [[1.0, 2.0]] and torch.tensor(t).dtype == torch.float32
    assert torch.as_tensor(T.tensor([1, 2])).dtype == torch.int64
    assert T.tensor(torch.tensor([3.0])).tolist() == [3.0]


def twins():
    ours = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3))
    theirs = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.ReLU(),
                                 torch.nn.Flatten(), torch.nn.Linear(8, 3))
    return ours, theirs


@pytest.mark.parametrize("direction", ["pytorch to graphlab", "graphlab to pytorch"])
def test_state_dicts_convert_between_models_of_the_same_layout(direction):
    ours, theirs = twins()
    theirs.train()(torch.randn(4, 1, 4, 4))  # running statistics that are not the defaults
    ours(T.randn(4, 1, 4, 4))
    if direction == "pytorch to graphlab":
        ours.load_state_dict(state_dict_from_torch(theirs.state_dict()))
    else:
        theirs.load_state_dict(state_dict_to_torch(ours.state_dict()))
    for (name, a), (other, b) in zip(ours.state_dict().items(), theirs.state_dict().items(), strict=True):
        assert name == other and np.array_equal(a.numpy(), b.numpy()) and a.dtype == str(b.dtype)[6:]
    x = np.random.default_rng(0).standard_normal((2, 1, 4, 4)).astype(np.float32)
    ours.eval(), theirs.eval()
    np.testing.assert_allclose(ours(T.tensor(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5,
                               atol=1e-6)
    converted = state_dict_from_torch(theirs.state_dict())
    converted["4.bias"].add_(1)  # copies: the models never share a weight
    assert not np.array_equal(converted["4.bias"].numpy(), theirs.state_dict()["4.bias"].numpy())


# -- PyTorch's graph, drawn by graphlab ----------------------------------------------------------------

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(3, 4)
        self.act = torch.nn.Tanh()
        self.fc2 = torch.nn.Linear(4, 2)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


def recorded_step():
    from graphlab.tensor.torch_graph import record

    torch.manual_seed(0)
    model = Net()
    x, y = torch.randn(5, 3), torch.tensor([0, 1, 1, 0, 1])
    with record(model) as recording:
        hidden = model.act(model.fc1(x))
        hidden.retain_grad()
        loss = torch.nn.functional.cross_entropy(model.fc2(hidden), y)
        loss.backward()
    return model, x, hidden, loss, recording.trace(loss)


def test_a_pytorch_graph_becomes_a_trace_with_values_gradients_and_module_names():
    model, x, hidden, loss, trace = recorded_step()
    by_label = {node.label: node for node in trace.nodes}
    assert trace.root.op == "nll_loss" and trace.root.value.values == [pytest.approx(loss.item())]
    assert trace.root.grad.values == [1.0]
    tanh = by_label["tanh"]
    assert tanh.scope == "act" and tanh.value.shape == (5, 4)  # each layer was called on its own here
    assert tanh.value.mean == pytest.approx(hidden.mean().item(), rel=1e-6)
    assert tanh.grad.max == pytest.approx(hidden.grad.max().item(), rel=1e-6)
    weight = by_label["fc1.weight"]
    assert weight.kind == NodeKind.INPUT and weight.grad.mean == pytest.approx(model.fc1.weight.grad.mean().item())
    data = [node for node in trace.nodes if node.kind == NodeKind.CONST]
    assert [node.value.shape for node in data] == [(5, 3)] and data[0].value.mean == pytest.approx(x.mean().item())
    assert all(trace.nodes[i].id < node.id for node in trace.nodes for i in node.inputs)  # inputs first


def test_the_trace_draws_as_graphlabs_own_collapsed_and_expanded_diagrams():
    *_, trace = recorded_step()
    collapsed = to_graphviz(trace, collapsed=True).source
    assert ">fc1<" in collapsed and ">fc2<" in collapsed and "log_softmax" in collapsed
    expanded = to_graphviz(trace, collapsed=False).source
    assert "fc1.weight" in expanded and "tanh" in expanded and "∇" in expanded


def test_a_graph_run_outside_the_recording_is_refused():
    from graphlab.tensor.torch_graph import record

    x = torch.ones(2, requires_grad=True)
    loss = (x * 2).sum()
    with record() as recording:
        pass
    with pytest.raises(ValueError, match=r"was not used inside record\(\.\.\.\); run the forward pass inside"):
        recording.trace(loss)
    with pytest.raises(ValueError, match="has no grad_fn"):
        recording.trace(torch.ones(1))


def test_graphlab_imports_pytorch_only_to_draw_its_graphs():
    code = "import sys, graphlab.tensor.torch_graph, graphlab.tensor.interop; print('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() \
        == "False"
