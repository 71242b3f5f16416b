"""In-place changes and views, as PyTorch makes them: the tensor keeps its identity and storage, a leaf
stays a leaf under ``no_grad()``, a change in the graph is recorded, and views share storage.

Every recorded change is checked against float64 central differences and PyTorch on each backend.
"""

from __future__ import annotations

import numpy as np
import pytest
from tensor_checks import gradcheck, torch_parity

import graphlab.tensor as T
from graphlab import nn


def leaf(values, device="cpu"):
    return T.tensor(values, requires_grad=True, device=device)


# -- recorded changes: gradients against central differences and PyTorch ------------------------------

def add_then_scale(L, x, w):
    h = x * 1
    h += w
    h *= w  # its gradient for w reads h from before the change
    return h * h


def assign_through_a_mask(L, x):
    h = x * 2
    h[h < 0] = 0
    return h * x


def assign_a_column(L, x, w):
    h = x * 1
    h[:, 1] = w.sum(1)
    return h * h


def add_at_indices(L, x):
    h = x * 1
    h[[0, 2]] += 1
    return h * h


def write_through_a_view(L, x):
    h = x * 1
    h[:, 1].mul_(2)
    h.t()[0].add_(h[:, 1])
    return h * h


def fill_a_buffer(L, x, w):
    out = x.new_zeros(3, 2)
    out[0].copy_(w[0])
    out[1:] = x.exp()[:2]
    return out * out


def clamp_and_relu_in_place(L, x):
    h = x * 3
    h.clamp_(min=-0.5)
    h.relu_()
    return h * x


def masked_fill_and_power(L, x):
    h = x * 1
    h.masked_fill_(x > 1.0, 0.5)
    h.pow_(2)
    return h


PROGRAMS = [
    (add_then_scale, [(3, 2), (3, 2)]),
    (assign_through_a_mask, [(3, 2)]),
    (assign_a_column, [(3, 2), (3, 2)]),
    (add_at_indices, [(3, 2)]),
    (write_through_a_view, [(2, 2)]),
    (fill_a_buffer, [(3, 2), (3, 2)]),
    (clamp_and_relu_in_place, [(3, 2)]),
    (masked_fill_and_power, [(3, 2)]),
]


def inputs(shapes):
    rng = np.random.default_rng(7)
    return [rng.uniform(0.2, 2.0, shape) * rng.choice([-1.0, 1.0], shape) for shape in shapes]


@pytest.mark.parametrize("program, shapes", [pytest.param(p, s, id=p.__name__) for p, s in PROGRAMS])
def test_a_recorded_change_has_the_right_gradient(program, shapes, device):
    gradcheck(program, inputs(shapes), device)


@pytest.mark.parametrize("program, shapes", [pytest.param(p, s, id=p.__name__) for p, s in PROGRAMS])
def test_a_recorded_change_matches_pytorch(program, shapes):
    torch = pytest.importorskip("torch")
    torch_parity(torch, program, inputs(shapes), "cpu")


# -- the tensor keeps its identity; a leaf stays a leaf ----------------------------------------------------

def test_augmented_assignment_changes_the_tensor_itself():
    x = T.tensor([1.0, 2.0])
    same = x
    x += 1
    x -= 0.5
    x *= 2
    x /= 4
    x **= 2
    assert same is x and x.numpy().tolist() == [0.5625, 1.5625]


def test_under_no_grad_a_leaf_stays_a_leaf_that_requires_grad():
    """The issue's bug: ``p -= lr * p.grad`` must update the parameter, and backward must still work."""
    w = leaf([1.0, 2.0])
    for _ in range(3):
        (w * w).sum().backward()
        with T.no_grad():
            w -= 0.25 * w.grad
        w.grad = None
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    assert w.numpy().tolist() == [0.125, 0.25]


def test_a_models_parameters_update_in_place_as_the_tutorial_writes_it():
    model = nn.Linear(2, 1)
    before = [p.numpy().copy() for p in model.parameters()]
    loss = model(T.ones(4, 2)).sum()
    loss.backward()
    with T.no_grad():
        for param in model.parameters():
            param -= 0.1 * param.grad
    for param, old in zip(model.parameters(), before):
        np.testing.assert_allclose(param.numpy(), old - 0.1 * param.grad.numpy(), rtol=1e-6)
        assert param.is_leaf and isinstance(param, nn.Parameter)


def test_a_leaf_that_requires_grad_refuses_a_change_with_grad_enabled():
    w = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"a leaf Variable that requires grad is being used in an in-place "
                                           "operation .*no_grad"):
        w += 1
    with pytest.raises(RuntimeError, match=r"a leaf Variable that requires grad"):
        w[0] = 3.0
    with pytest.raises(RuntimeError, match=r"a view of a leaf Variable that requires grad"):
        w[:1].mul_(3.0)
    assert w.numpy().tolist() == [1.0, 2.0] and w._version == 0


def test_a_tensor_without_grad_takes_values_that_need_one_and_joins_the_graph():
    w = leaf([1.0, 2.0])
    out = T.zeros(2, 2)
    out[0] = w
    out[1] += w * 3
    assert not out.is_leaf and out.requires_grad and out.grad_fn is not None
    (out * out).sum().backward()
    assert w.grad.numpy().tolist() == [20.0, 40.0]


def test_a_recorded_change_is_a_node_of_the_graph():
    x = leaf([1.0, -1.0])
    h = x * 2
    h[h < 0] = 0
    trace = T.TensorTrace.from_tensor(h.sum(), backward=True)
    assert [node.op for node in trace.nodes if node.op] == ["mul", "setitem", "sum"]
    mul, setitem = (node for node in trace.nodes if node.op in ("mul", "setitem"))
    assert setitem.inputs[0] == mul.id and setitem.value.values == [2.0, 0.0]
    assert setitem.grad.values == [1.0, 1.0] and mul.grad.values == [1.0, 0.0]
    # mul's array now holds the assignment's values: the trace shows none rather than wrong ones
    assert mul.value.mean is None and mul.value.values is None
    assert mul.params["overwritten in place at"].startswith(__file__)


def test_dtype_and_shape_rules_are_pytorchs():
    ints = T.tensor([1, 2])
    with pytest.raises(RuntimeError, match=r"result type float32 can't be cast to the desired output type int64"):
        ints += T.tensor([0.5, 0.5])
    with pytest.raises(RuntimeError, match=r"\+=: .*cast"):
        ints += 0.5
    with pytest.raises(RuntimeError, match=r"doesn't match the broadcast shape"):
        T.zeros(3).add_(T.ones(2, 3))
    floats = T.zeros(2, dtype="float32")
    floats += T.tensor([1.0, 2.0], dtype="float64")  # a wider float is cast down, as PyTorch does
    assert floats.dtype == "float32" and floats.numpy().tolist() == [1.0, 2.0]


def test_an_expanded_view_cannot_be_written():
    x = T.zeros(1, 3)
    with pytest.raises(RuntimeError, match=r"more than one element of the written-to tensor refers to a single "
                                           "memory location"):
        x.expand(2, 3).add_(1)
    with pytest.raises(RuntimeError, match=r"more than one element"):
        x.expand(2, 3)[0] = 1.0


def test_a_view_taken_under_no_grad_of_a_leaf_that_requires_grad_refuses_a_change_with_grad_enabled():
    w = leaf([1.0, 2.0])
    with T.no_grad():
        view = w[:1]
    with pytest.raises(RuntimeError, match=r"taken under no_grad"):
        view.mul_(2)


# -- views share storage where PyTorch's do -------------------------------------------------------------

def test_views_share_storage_and_copies_do_not(device):
    x = T.tensor(np.arange(12.0).reshape(3, 4), device=device)
    xp = x._backend.xp
    for view in (x[1:], x[:, ::2], x.reshape(4, 3), x.view(12), x.T, x.t(), x.permute(1, 0), x.flatten(),
                 x.unsqueeze(0), x.detach(), x.expand(2, 3, 4), x[None], x.split(2, dim=1)[1]):
        assert xp.shares_memory(view.data, x.data) and view._counter is x._counter
    for copy in (x.clone(), x[T.tensor([0, 2], device=device)], x[x > 3], x.T.contiguous(), T.tensor(x),
                 x.T.reshape(12)):
        assert not xp.shares_memory(copy.data, x.data)


def test_a_change_through_a_view_is_a_change_of_the_base_and_of_its_other_views():
    x = T.zeros(2, 3)
    row, column = x[1], x[:, 2]
    row += 1
    column.mul_(5)
    x.T[0].fill_(-1)
    assert x.numpy().tolist() == [[-1.0, 0.0, 0.0], [-1.0, 1.0, 5.0]]
    assert row.numpy().tolist() == [-1.0, 1.0, 5.0] and x._version == 3


def test_numpy_and_from_numpy_share_memory_as_in_pytorch():
    array = np.zeros(3, dtype=np.float32)
    t = T.from_numpy(array)
    t += 1
    assert array.tolist() == [1.0, 1.0, 1.0]
    t.numpy()[0] = 7.0
    assert t.tolist() == [7.0, 1.0, 1.0]
    with pytest.warns(UserWarning, match=r"no uint8 tensors, so this is a int64 copy"):
        images = T.from_numpy(np.zeros(2, dtype=np.uint8))
    assert images.dtype == "int64"


def test_a_parameter_made_from_a_tensor_shares_its_storage():
    """torch.nn.Parameter(t) holds t's storage: changing one changes the other."""
    t = T.zeros(2)
    p = nn.Parameter(t)
    with T.no_grad():
        p.add_(1)
    assert t.tolist() == [1.0, 1.0] and p.is_leaf and p.requires_grad and t._version == 1
