"""Module: the parameter tree, modes, state_dict round trips and errors, devices, repr, name scopes."""

from __future__ import annotations

import numpy as np
import pytest

import graphlab.tensor as gt
from graphlab import nn
from graphlab.nn import functional as F


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.bn = nn.BatchNorm1d(8)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(self.drop(self.bn(self.fc1(x)).relu()))


def torch_mlp(torch):
    tn = torch.nn

    class TorchMLP(tn.Module):
        def __init__(self):
            super().__init__()
            self.fc1, self.bn, self.drop, self.fc2 = tn.Linear(4, 8), tn.BatchNorm1d(8), tn.Dropout(0.5), tn.Linear(8, 3)

    return TorchMLP()


def test_parameters_buffers_and_names_match_torch():
    torch = pytest.importorskip("torch")
    mine, theirs = MLP(), torch_mlp(torch)
    assert [(n, p.shape) for n, p in mine.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    assert [(n, b.shape) for n, b in mine.named_buffers()] == \
        [(n, tuple(b.shape)) for n, b in theirs.named_buffers()]
    assert list(mine.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in mine.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [type(c).__name__ for c in mine.children()] == ["Linear", "BatchNorm1d", "Dropout", "Linear"]


def test_a_shared_layer_is_counted_once():
    shared = nn.Linear(3, 3)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(model.parameters())) == 2
    assert model.num_parameters() == 12


class Tied(nn.Module):
    """An encoder and a decoder that share one weight matrix, as tied embeddings do."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Linear(3, 3, bias=False)
        self.decoder = nn.Linear(3, 3)
        self.decoder.weight = self.encoder.weight


def test_a_tied_parameter_is_in_the_state_dict_under_each_name():
    model = Tied()
    state = model.state_dict()
    assert list(state) == ["encoder.weight", "decoder.weight", "decoder.bias"]
    assert len(list(model.parameters())) == 2  # but trained once


def test_tied_state_dict_keys_match_torch_and_load_into_the_tied_model():
    torch = pytest.importorskip("torch")

    class TorchTied(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = torch.nn.Linear(3, 3, bias=False)
            self.decoder = torch.nn.Linear(3, 3)
            self.decoder.weight = self.encoder.weight

    theirs = TorchTied()
    mine = Tied()
    assert list(mine.state_dict()) == list(theirs.state_dict())
    mine.load_state_dict({name: t.detach().numpy() for name, t in theirs.state_dict().items()})
    np.testing.assert_array_equal(mine.decoder.weight.numpy(), theirs.encoder.weight.detach().numpy())
    assert mine.decoder.weight is mine.encoder.weight


def test_train_and_eval_reach_every_submodule():
    model = nn.Sequential(MLP(), nn.Sequential(nn.Dropout()))
    model.eval()
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_eval_makes_the_output_deterministic():
    model = MLP()
    x = gt.randn(16, 4)
    model(x)
    model.eval()
    with gt.no_grad():
        np.testing.assert_array_equal(model(x).numpy(), model(x).numpy())


def test_zero_grad_drops_or_zeroes_gradients():
    model = MLP()
    F.cross_entropy(model(gt.randn(6, 4)), gt.tensor([0, 1, 2, 0, 1, 2])).backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all(np.all(p.grad.numpy() == 0) for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_state_dict_round_trip_gives_the_same_outputs():
    gt.manual_seed(0)
    source, target = MLP(), MLP()
    x = gt.randn(8, 4)
    source(x)  # moves the running statistics away from their start
    target.load_state_dict({name: t.numpy() for name, t in source.state_dict().items()})
    source.eval()
    target.eval()
    with gt.no_grad():
        np.testing.assert_array_equal(source(x).numpy(), target(x).numpy())


def test_state_dict_loads_torch_weights():
    torch = pytest.importorskip("torch")
    theirs = torch_mlp(torch).eval()
    mine = MLP().eval()
    mine.load_state_dict({name: t.numpy() for name, t in theirs.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    with torch.no_grad():
        expected = theirs.fc2(torch.relu(theirs.bn(theirs.fc1(torch.from_numpy(x))))).numpy()
    with gt.no_grad():
        np.testing.assert_allclose(mine(gt.tensor(x)).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_load_state_dict_names_the_mismatched_keys_and_shapes():
    state = MLP().state_dict()
    state["fc2.weight"] = np.zeros((5, 8))
    state["head.weight"] = np.zeros(3)
    del state["bn.running_var"]
    with pytest.raises(nn.StateDictError) as error:
        MLP().load_state_dict(state)
    message = str(error.value)
    assert isinstance(error.value, RuntimeError) and message.startswith("load_state_dict into MLP: ")
    assert "fc2.weight: checkpoint has shape (5, 8), the model has (3, 8)" in message
    assert "missing from the checkpoint: bn.running_var" in message
    assert "not in the model: head.weight" in message


def test_load_state_dict_not_strict_reports_but_loads_the_rest():
    source, target = MLP(), MLP()
    state = source.state_dict()
    del state["fc2.bias"]
    result = target.load_state_dict(state, strict=False)
    assert result.missing_keys == ["fc2.bias"] and result.unexpected_keys == []
    np.testing.assert_array_equal(target.fc1.weight.numpy(), source.fc1.weight.numpy())


def test_state_dict_shares_memory_with_the_module():
    model = nn.Linear(2, 2)
    model.state_dict()["weight"].data[...] = 7.0
    assert np.all(model.weight.numpy() == 7.0)


def test_requires_grad_false_freezes_a_feature_extractor():
    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))
    model[0].requires_grad_(False)
    F.cross_entropy(model(gt.randn(3, 4)), gt.tensor([0, 1, 0])).backward()
    assert model[0].weight.grad is None and model[2].weight.grad is not None
    assert "# 30 parameters, 20 frozen" in repr(model)


def test_to_changes_dtype_in_place_keeping_the_parameter_objects():
    model = MLP()
    weight = model.fc1.weight
    model.double()
    assert model.fc1.weight is weight and weight.dtype == "float64"
    assert model.bn.running_mean.dtype == "float64"
    assert model.bn.num_batches_tracked.dtype == "int64"
    assert model(gt.randn(4, 4, dtype="float64")).dtype == "float64"


def test_a_graph_recorded_before_to_refuses_to_go_back_through_the_moved_parameters():
    """LayerNorm's weight multiplies elementwise, and that backward reads the weight's values."""
    model = nn.Sequential(nn.Linear(4, 3), nn.LayerNorm(3))
    loss = model(gt.randn(2, 4)).square().sum()
    model.double()
    with pytest.raises(RuntimeError, match=r"gradient of mul was modified in place .* \(its input of shape \(3,\)"):
        loss.backward()


def test_a_graph_recorded_before_load_state_dict_refuses_to_go_back_through_the_new_values():
    model = nn.Sequential(nn.Linear(4, 3), nn.LayerNorm(3))
    loss = model(gt.randn(2, 4)).square().sum()
    model.load_state_dict(nn.Sequential(nn.Linear(4, 3), nn.LayerNorm(3)).state_dict())
    with pytest.raises(RuntimeError, match="gradient of mul was modified in place"):
        loss.backward()


def test_repr_shows_the_tree_and_parameter_counts():
    text = repr(MLP())
    assert "(fc1): Linear(in_features=4, out_features=8, bias=True)  # 40 parameters" in text
    assert "(bn): BatchNorm1d(8, eps=1e-05" in text
    assert "(drop): Dropout(p=0.5)" in text
    assert text.splitlines()[-1] == ")  # 83 parameters"  # 40 + 16 + 27


def test_forward_runs_inside_each_layers_name_scope():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), MLPHead())
    out = model(gt.randn(2, 3))
    scopes = set()
    stack = [out]
    while stack:
        t = stack.pop()
        if t._ctx is not None:
            scopes.add(t._scope)
            stack.extend(x for x in t._inputs if hasattr(x, "_ctx"))
    assert scopes == {"Sequential.0:Linear", "Sequential.1:ReLU", "Sequential.2:MLPHead.out"}


class MLPHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.out = nn.Linear(4, 2)

    def forward(self, x):
        return self.out(x)


def test_assigning_before_init_says_what_to_do():
    class Broken(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(2, 2)

    with pytest.raises(AttributeError, match=r"call super\(\).__init__\(\) before assigning 'fc'"):
        Broken()


def test_containers():
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(layers) == 3 and len(list(layers.parameters())) == 6
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    seq.append(nn.Linear(3, 1))
    assert len(seq) == 3 and isinstance(seq[-1], nn.Linear) and len(seq[:2]) == 2
    with pytest.raises(TypeError, match="Sequential argument 1: expected a Module"):
        nn.Sequential(nn.Linear(2, 2), "relu")


def test_deepcopy_gives_an_independent_model():
    import copy

    model = MLP()
    model(gt.randn(4, 4))
    clone = copy.deepcopy(model)
    assert list(clone.state_dict()) == list(model.state_dict())
    for (name, a), b in zip(model.state_dict().items(), clone.state_dict().values()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
    clone.fc1.weight.data[...] = 0.0
    clone.bn.running_mean.data[...] = 5.0
    assert not np.all(model.fc1.weight.numpy() == 0) and not np.all(model.bn.running_mean.numpy() == 5.0)
    assert isinstance(clone.fc1.weight, nn.Parameter) and clone.fc1.weight.requires_grad


def test_parameters_are_named_for_graph_drawings():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), MLPHead())
    trace = gt.TensorTrace.from_tensor(model(gt.randn(2, 3)))
    leaves = {node.label for node in trace.nodes if node.kind == "input"}
    assert leaves == {"0.weight", "0.bias", "2.out.weight", "2.out.bias"}
    model[2].out = nn.Linear(4, 5)  # a new head is named on the next call
    with gt.no_grad():
        model(gt.randn(2, 3))
    assert model[2].out.weight.name == "2.out.weight"


def test_functional_has_every_function_of_the_ops_table():
    """F.<op> for an op only the table declares is the tensor engine's function (no line per op in F)."""
    import graphlab.nn.functional as F
    from graphlab.tensor.functional import TABLE_FUNCTIONS

    assert all(getattr(F, name) is function for name, function in TABLE_FUNCTIONS.items()
               if name not in ("leaky_relu", "softplus"))  # these two take PyTorch's keywords
    assert set(TABLE_FUNCTIONS) <= set(dir(F))
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        _ = F.nope
