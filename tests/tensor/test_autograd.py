"""Backward semantics as in PyTorch: accumulation, retain_graph, hooks, detach, no_grad, freeing."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

import graphlab.tensor as T
from graphlab.ops import OPS
from graphlab.tensor.elementwise import local_rules


def leaf(values, device, dtype="float64"):
    return T.tensor(values, dtype=dtype, requires_grad=True, device=device)


def test_a_plus_a_and_a_times_a_accumulate(device):
    a = leaf([3.0], device)
    (a + a).backward(T.ones(1, dtype="float64", device=device))
    assert a.grad.numpy().tolist() == [2.0]
    b = leaf(3.0, device)
    (b * b).backward()
    assert b.grad.item() == 6.0


def test_fan_out_sums_every_path(device):
    x = leaf(2.0, device)
    y = x * 3.0
    z = y * y + y.exp() + x
    z.backward()
    expected = 2 * 9 * 2.0 + 3 * np.exp(6.0) + 1
    assert x.grad.item() == pytest.approx(expected, rel=1e-12)


def test_gradients_accumulate_across_backward_calls_for_leaves_only(device):
    x = leaf([1.0, 2.0], device)
    for _ in range(2):
        (x * x).sum().backward()
    assert x.grad.numpy().tolist() == [4.0, 8.0]


def test_backward_twice_needs_retain_graph(device):
    x = leaf(2.0, device)
    y = x.exp() * x
    y.backward(retain_graph=True)
    first = x.grad.item()
    y.backward()
    assert x.grad.item() == pytest.approx(2 * first)
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_non_scalar_backward_needs_a_gradient(device):
    x = leaf([1.0, 2.0], device)
    with pytest.raises(RuntimeError, match="pass gradient="):
        (x * 2.0).backward()
    with pytest.raises(RuntimeError, match="expected"):
        (x * 2.0).backward(T.ones(3, dtype="float64", device=device))


def test_backward_without_graph_is_a_clear_error(device):
    x = T.tensor([1.0], device=device)
    with pytest.raises(RuntimeError, match="does not require grad"):
        (x * 2.0).sum().backward()


def test_no_grad_records_nothing_and_enable_grad_reopens(device):
    x = leaf([1.0], device)
    with T.no_grad():
        assert not T.is_grad_enabled()
        y = x * 2.0
        with T.enable_grad():
            z = x * 2.0
    assert T.is_grad_enabled()
    assert not y.requires_grad and y.is_leaf and y.grad_fn is None
    assert z.requires_grad and not z.is_leaf


def test_no_grad_as_a_decorator(device):
    @T.no_grad()
    def doubled(t):
        return t * 2.0

    x = leaf([1.0], device)
    assert not doubled(x).requires_grad and T.is_grad_enabled()


def test_a_mode_or_scope_entered_again_while_open_restores_each_level():
    """One object for a whole recursion: each entry keeps what it replaced, so the outside is restored."""
    quiet, layer = T.no_grad(), T.scope("layer")
    with quiet, layer:
        with quiet, layer as inner:
            assert inner == "layer.layer" and not T.is_grad_enabled()
        assert (T.tensor([1.0], requires_grad=True) * 2.0).grad_fn is None
    assert T.is_grad_enabled()
    assert (T.tensor([1.0], requires_grad=True) * 2.0)._scope == ""


def test_scope_as_a_decorator_names_every_call():
    @T.scope("block")
    def doubled(t, depth):
        return doubled(t, depth - 1) if depth else t * 2.0

    assert doubled(T.tensor([1.0], requires_grad=True), 2)._scope == "block.block.block"
    assert (T.tensor([1.0], requires_grad=True) * 2.0)._scope == ""


def test_a_decorated_generator_runs_each_piece_inside_and_hands_back_the_mode_between():
    @T.no_grad()
    def doubling(t):
        received = yield t * 2.0
        yield received * 2.0

    x = T.tensor([1.0], requires_grad=True)
    steps = doubling(x)
    first = next(steps)
    assert T.is_grad_enabled() and (x * 2.0).requires_grad  # outside the generator: recording
    assert not first.requires_grad and not steps.send(x).requires_grad


def test_detach_cuts_the_graph(device):
    x = leaf([1.0, 2.0], device)
    y = (x * 3.0).detach()
    assert not y.requires_grad and y.is_leaf
    (x * y).sum().backward()
    assert x.grad.numpy().tolist() == [3.0, 6.0]


def test_retain_grad_keeps_an_intermediate_gradient(device):
    x = leaf([1.0, 2.0], device)
    y = x * 2.0
    y.retain_grad()
    z = x * 5.0  # not retained
    (y * y + z).sum().backward()
    assert y.grad.numpy().tolist() == [4.0, 8.0]
    assert z.grad is None


def test_hooks_see_and_replace_the_gradient(device):
    x = leaf([1.0, 2.0], device)
    seen = []
    y = x * 3.0
    y.register_hook(lambda g: seen.append(g.numpy().copy()))
    handle = x.register_hook(lambda g: g * 10.0)
    y.sum().backward()
    assert seen[0].tolist() == [1.0, 1.0]
    assert x.grad.numpy().tolist() == [30.0, 30.0]
    handle.remove()
    x.grad = None
    (x * 3.0).sum().backward()
    assert x.grad.numpy().tolist() == [3.0, 3.0]


def test_leaf_gradients_never_alias_each_other_or_the_seed(device):
    a, b = leaf([1.0, 2.0], device), leaf([3.0, 4.0], device)
    seed = T.tensor([1.0, 1.0], dtype="float64", device=device)
    (a + b).backward(seed)
    with T.no_grad():
        a.grad.mul_(5.0)
    assert b.grad.numpy().tolist() == [1.0, 1.0]
    assert seed.numpy().tolist() == [1.0, 1.0]


def test_broadcast_gradient_is_writable(device):
    """sum's backward broadcasts a view; the stored .grad must still be a fresh, writable array."""
    x = leaf(np.ones((2, 3)), device)
    x.sum().backward()
    with T.no_grad():
        x.grad.add_(1.0)
    assert x.grad.numpy().tolist() == [[2.0] * 3] * 2


def test_deep_chain_has_no_recursion_limit(device):
    x = leaf(0.5, device)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.backward()
    assert x.grad.item() == pytest.approx(1.0001 ** 5000, rel=1e-9)


def test_graph_and_saved_buffers_are_freed_after_backward():
    x = leaf(np.ones((4, 4)), "cpu")
    hidden = (x * 2.0).exp()
    saved = weakref.ref(hidden._inputs[0].data)  # the values of x * 2.0, which exp's backward reads
    intermediate = weakref.ref(hidden._inputs[0])
    probabilities = hidden.softmax(0)
    softmax_saved = weakref.ref(probabilities._ctx.out)  # a buffer a Function node saved
    loss = probabilities.sum()
    del hidden, probabilities
    gc.collect()
    assert saved() is not None and softmax_saved() is not None
    loss.backward()
    gc.collect()
    assert saved() is None and intermediate() is None and softmax_saved() is None


def test_intermediate_values_are_freed_during_backward():
    """By the time the gradient reaches the leaf, the intermediate arrays are gone, as in PyTorch."""
    x = leaf(np.ones((4, 4)), "cpu")
    hidden = x * 2.0
    probe = weakref.ref(hidden.data)
    loss = hidden.exp().sum()
    del hidden
    alive_at_leaf = []
    x.register_hook(lambda g: alive_at_leaf.append(probe() is not None))
    loss.backward()
    assert alive_at_leaf == [False]


def test_retain_graph_keeps_saved_buffers():
    x = leaf(np.ones(3), "cpu")
    y = x.exp().softmax(0)
    y.sum().backward(retain_graph=True)
    assert y._ctx.out is not None and y._inputs[0]._inputs == (x,)


def test_graph_is_acyclic_so_it_is_freed_without_the_cycle_collector():
    gc.disable()
    try:
        x = leaf(np.ones(3), "cpu")
        y = (x * 2.0).tanh()
        probe = weakref.ref(y._inputs[0])  # the tensor x * 2.0, reachable only through y
        del y
        assert probe() is None
    finally:
        gc.enable()


def test_inplace_update_of_a_parameter_needs_no_grad(device):
    w = leaf([1.0, 2.0], device)
    with pytest.raises(RuntimeError, match="no_grad"):
        w.sub_(w)
    (w * w).sum().backward()
    with T.no_grad():
        w.sub_(w.grad, alpha=0.5)
        w.grad.zero_()
    assert w.numpy().tolist() == [0.0, 0.0]
    assert w.grad.numpy().tolist() == [0.0, 0.0]


def test_gradient_of_a_0d_leaf_can_be_updated_in_place(device):
    w = leaf(3.0, device)
    (w * w).backward()
    with T.no_grad():
        w.grad.mul_(0.5)
        w.sub_(w.grad)
        w.grad.zero_()
    assert w.item() == 0.0 and w.grad.item() == 0.0


def test_float32_gradients_stay_float32(device):
    """The table's xp.where(a > 0, 1.0, slope) is float64 in NumPy; gradients are cast back."""
    x = T.tensor([[-1.0, 2.0]], requires_grad=True, device=device)
    w = T.tensor([[0.5], [0.25]], requires_grad=True, device=device)
    y = (x @ w).leaky_relu(0.1) + x.relu().sum() + x.abs().sum() + x.maximum(0.0).sum()
    y.sum().backward()
    assert y.dtype == "float32" and x.grad.dtype == "float32" and w.grad.dtype == "float32"


def test_requires_grad_only_for_floats(device):
    with pytest.raises(RuntimeError, match="only float tensors"):
        T.tensor([1, 2], device=device).requires_grad_()


def _mul_by_edited_input():
    w, x = T.tensor([2.0], requires_grad=True), T.tensor([3.0])
    y = w * x
    with T.no_grad():
        x.mul_(10)
    return y


def test_backward_refuses_a_saved_value_changed_in_place():
    """As PyTorch's version counter: w * x saved x, and x changed after, so dw would be wrong."""
    with pytest.raises(RuntimeError, match=r"needed for the gradient of mul was modified in place at .*test_autograd"
                                           r".py:\d+ \(its input of shape \(1,\), now at version 1\)"):
        _mul_by_edited_input().backward()


def test_backward_refuses_an_output_changed_in_place_that_its_backward_reads():
    x = T.tensor([1.0], requires_grad=True)
    y = x.exp()  # exp's derivative is its output
    with T.no_grad():
        y.mul_(2)
    with pytest.raises(RuntimeError, match=r"gradient of exp was modified in place .* \(its output of shape"):
        y.backward()


def test_an_optimizer_step_between_forward_and_backward_is_caught():
    from graphlab.optim import SGD

    w, x = T.tensor([2.0], requires_grad=True), T.tensor([3.0], requires_grad=True)
    loss = (w * x).sum()
    w.grad = T.tensor([1.0])
    SGD([w], lr=0.1).step()
    with pytest.raises(RuntimeError, match="modified in place"):
        loss.backward()


def test_values_that_backward_does_not_read_may_change():
    w, x = T.tensor([2.0], requires_grad=True), T.tensor([3.0])
    y = w + x  # add's local derivatives are 1: its inputs' values are not kept
    with T.no_grad():
        x.mul_(10)
    y.backward()
    assert w.grad.tolist() == [1.0]


def test_changes_after_backward_and_before_the_next_forward_are_fine():
    w = T.tensor([2.0], requires_grad=True)
    for _ in range(3):
        w.grad = None
        (w * w).sum().backward()
        with T.no_grad():
            w.sub_(w.grad, alpha=0.1)
    assert w.item() == pytest.approx(2.0 * 0.8 ** 3)


def test_elementwise_outputs_share_one_node_per_choice_of_inputs_needing_gradients(device):
    x, y = leaf([1.0, 2.0], device), leaf([3.0, 4.0], device)
    constant = T.tensor([5.0, 6.0], dtype="float64", device=device)
    assert (x * y)._ctx is (y * x)._ctx
    assert (x * y)._ctx is not (x * constant)._ctx  # only the first input needs a gradient
    assert (x * y)._inputs[0] is x and (x * y)._seq < (x * y)._seq


def test_a_shared_node_gives_each_output_the_gradients_of_its_own_values(device):
    x, y = leaf([1.0, 2.0], device), leaf([3.0], device)
    first, second = (x * 2.0).exp(), (y * 3.0).exp()
    assert first._ctx is second._ctx and first._inputs[0]._ctx is second._inputs[0]._ctx
    (first.sum() + second.sum()).backward()
    np.testing.assert_allclose(x.grad.numpy(), 2.0 * np.exp(2.0 * np.array([1.0, 2.0])))
    np.testing.assert_allclose(y.grad.numpy(), 3.0 * np.exp([9.0]))


@pytest.mark.filterwarnings("ignore:divide by zero encountered")  # the inf is made on purpose
def test_anomaly_in_backward_marks_only_the_failing_tensor_not_others_of_its_shared_node(device):
    x, y = leaf([0.0], device), leaf([4.0], device)
    broken, fine = x.sqrt(), y.sqrt()  # recorded outside anomaly mode: one shared node
    with T.detect_anomaly(), pytest.raises(T.AnomalyError) as caught:
        (broken + fine).sum().backward()
    assert caught.value.node is broken._ctx is fine._ctx
    assert broken._anomaly and not fine._anomaly


@pytest.mark.parametrize("make", [
    lambda: T.tensor([1.0], requires_grad=True),
    lambda: T.tensor([1.0], requires_grad=True).detach(),
    lambda: T.tensor([1.0], requires_grad=True) * 2.0,
    lambda: T.tensor([1.0], requires_grad=True).exp(),
    lambda: T.tensor([1.0], requires_grad=True).sum(),
    lambda: T.tensor([1.0]).sum(),
])
def test_every_way_of_making_a_tensor_sets_every_field(make):
    """Tensor(), an op's output and a recorded output all get their fields from new_tensor: none is missed."""
    made = make()
    fields = [name for name in T.Tensor.__slots__ if name != "__weakref__"]
    assert [name for name in fields if not hasattr(made, name)] == []


def test_a_graph_that_read_a_gradient_refuses_to_go_on_once_backward_changed_that_gradient(device):
    """Accumulating into x.grad gives it new values: a graph recorded with the old ones says so (as PyTorch)."""
    x, w = leaf([1.0, 2.0], device), leaf([1.0, 1.0], device)
    (x * 3.0).sum().backward()
    y = (w * x.grad).sum()
    (x * 5.0).sum().backward()
    with pytest.raises(RuntimeError, match=r"gradient of mul was modified in place .* \(its input of shape \(2,\)"):
        y.backward()


def test_an_input_whose_values_backward_does_not_read_may_be_changed_in_place(device):
    """y * 2.0 needs only the 2.0 for y's gradient: editing y afterwards is fine, as in PyTorch."""
    x = leaf([1.0, 2.0], device)
    y = x * 3.0
    z = (y * 2.0).sum()
    with T.no_grad():
        y.add_(1.0)
    z.backward()
    assert x.grad.numpy().tolist() == [6.0, 6.0]


def test_what_each_table_rule_reads_is_what_the_table_declares():
    """mul's ∂/∂a is b itself and ∂/∂b is a; add's are the number 1; div's ∂/∂b reads both inputs."""
    mul, add, div, exp = (local_rules(OPS[name]) for name in ("mul", "add", "div", "exp"))
    assert exp.derivatives == ("out",) and exp.reads == ((True, False),)
    assert mul.derivatives == ("b", "a") and mul.reads == ((False, False, True), (False, True, False))
    assert add.derivatives == (1.0, 1.0) and add.reads == ((False, False, False), (False, False, False))
    assert callable(div.derivatives[1]) and div.reads[1] == (False, True, True)  # −a/b² reads a and b


def test_a_backward_that_fails_halfway_leaves_no_gradient_waiting_anywhere(device):
    """A hook that raises stops the walk; a second backward then gives the right gradients."""
    x = leaf([1.0, 2.0], device)
    hidden = x * 3.0
    chain = hidden.exp() * 2.0  # the walk meets exp's output next, outside the heap
    calls = []

    def fail_once(grad):
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("hook failed")

    hidden.register_hook(fail_once)
    with pytest.raises(ValueError, match="hook failed"):
        chain.sum().backward(retain_graph=True)
    assert x.grad is None
    chain.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 6.0 * np.exp(3.0 * np.array([1.0, 2.0])))


@pytest.mark.filterwarnings("ignore:overflow encountered")  # the inf is made on purpose
def test_an_anomaly_halfway_through_a_node_leaves_no_gradient_waiting(device):
    """u has its gradient when v's turns out infinite: the walk stops, and u's is not left behind."""
    x, y = leaf([1.0], device), leaf([2.0], device)
    u, v = x * 1e308 * 10.0, y * 1.0  # u overflows to inf, recorded outside anomaly mode
    loss = (u * v).sum()
    with T.detect_anomaly(), pytest.raises(T.AnomalyError):
        loss.backward(retain_graph=True)
    assert u._pending is None and v._pending is None and x.grad is None
