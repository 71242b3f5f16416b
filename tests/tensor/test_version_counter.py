"""Version counters: an in-place change of a tensor that backward needs is an error, as in PyTorch, never a
wrong gradient; a change backward does not need stays allowed.

Each case is one small program written against a ``torch``-like module. It runs on
graphlab, where it must raise or not as the case says and, if it does not raise,
give the gradients PyTorch gives; with PyTorch installed it runs there too, and
PyTorch must agree (the cases mirror PyTorch's own tests of its version counter:
a saved input, a saved output, through a view, through ``detach``).
"""

from __future__ import annotations

import numpy as np
import pytest

import graphlab.tensor as gt


def grads(*tensors):
    return [None if t.grad is None else t.grad.detach().numpy().tolist() for t in tensors]


def issue_example(t):
    """The issue's example: a detached alias of y changed after (y*y) saved y."""
    x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    z = (y * y).sum()
    y.detach().add_(10)
    z.backward()
    return grads(x)


def through_the_base_of_a_slice(t):
    x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = x * 2
    y = b[1:]
    z = (y * y).sum()
    with t.no_grad():
        b.add_(1)
    z.backward()
    return grads(x)


def through_the_base_of_a_reshape(t):
    x = t.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    b = x * 2
    y = b.reshape(2, 2)
    z = (y * y).sum()
    b.detach().mul_(3)
    z.backward()
    return grads(x)


def through_a_view_of_the_saved_tensor(t):
    x = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * 1
    z = (y * y).sum()
    with t.no_grad():
        y.t()[0].mul_(2)
    z.backward()
    return grads(x)


def a_saved_input(t):
    w = t.tensor([2.0], requires_grad=True)
    x = t.tensor([3.0])
    y = w * x
    x.mul_(10)
    y.backward()
    return grads(w)


def a_saved_output(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()  # exp's backward reads its output
    z = y.sum()
    with t.no_grad():
        y.mul_(2)
    z.backward()
    return grads(x)


def a_saved_output_of_sigmoid(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x.sigmoid()
    z = y.sum()
    with t.no_grad():
        y.add_(1)
    z.backward()
    return grads(x)


def an_index_tensor(t):
    x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
    index = t.tensor([0, 1])
    y = x[index]
    index[0] = 2
    (y * y).sum().backward()
    return grads(x)


def a_mask_of_where(t):
    x = t.tensor([1.0, -2.0], requires_grad=True)
    mask = x > 0
    y = t.where(mask, x, t.zeros(2))
    mask[1] = True
    y.sum().backward()
    return grads(x)


def an_optimizer_step_before_backward(t):
    w = t.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * t.tensor([3.0, 4.0]) * w).sum()
    w.grad = t.ones(2)
    t.optim.SGD([w], lr=0.1).step()
    loss.backward()
    return grads(w)


def a_value_backward_does_not_read(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x + 1
    z = (y * 2).sum()  # y * 2 reads only the 2
    with t.no_grad():
        y.mul_(10)
    z.backward()
    return grads(x)


def detached_but_not_needed(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = (y * 3).sum()
    y.detach().zero_()
    z.backward()
    return grads(x)


def in_place_after_backward(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    with t.no_grad():
        x.add_(1)
    (x * x).sum().backward()
    return grads(x)


def an_optimizer_step_on_a_leaf(t):
    w = t.tensor([1.0, 2.0], requires_grad=True)
    for _ in range(3):
        loss = (w * w).sum()
        loss.backward()
        with t.no_grad():
            w -= 0.1 * w.grad
            w.grad = None
    return [w.is_leaf, w.requires_grad, w.detach().numpy().tolist()]


def recorded_on_a_non_leaf(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    w = t.tensor([3.0, 4.0], requires_grad=True)
    y = x * 1
    y.mul_(w)  # mul_'s gradient for w reads y's values from before
    (y * y).sum().backward()
    return grads(x, w)


def a_consumer_recorded_before_the_change(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = y * 3  # its gradient must not pass through the mul_ below
    y.mul_(5)
    (z.sum() + y.sum()).backward()
    return grads(x)


def a_view_used_after_its_base_changed(t):
    a = t.tensor([1.0, 2.0], requires_grad=True)
    x = a * 1
    v = x[0]
    x.mul_(2)  # v's values are now doubled: PyTorch takes v again from x's new history
    (v * 1).sum().backward()
    return grads(a)


def two_views_changed_in_turn(t):
    x = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    h = x * 1
    a, b = h[0], h[1]
    a.mul_(2)
    b.mul_(3)
    (a * b).sum().backward()
    return grads(x)


def the_same_tensor_on_both_sides(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    y += y
    (y * y).sum().backward()
    return grads(x)


def a_leaf_changed_with_grad_enabled(t):
    x = t.tensor([1.0, 2.0], requires_grad=True)
    x += 1
    return "changed"


def a_view_of_such_a_leaf(t):
    x = t.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x[0].mul_(2)
    return "changed"


CASES = [  # (program, raises)
    (issue_example, True),
    (through_the_base_of_a_slice, True),
    (through_the_base_of_a_reshape, True),
    (through_a_view_of_the_saved_tensor, True),
    (a_saved_input, True),
    (a_saved_output, True),
    (a_saved_output_of_sigmoid, True),
    (an_index_tensor, True),
    (a_mask_of_where, True),
    (an_optimizer_step_before_backward, True),
    (a_value_backward_does_not_read, False),
    (detached_but_not_needed, False),
    (in_place_after_backward, False),
    (an_optimizer_step_on_a_leaf, False),
    (recorded_on_a_non_leaf, False),
    (a_consumer_recorded_before_the_change, False),
    (a_view_used_after_its_base_changed, False),
    (two_views_changed_in_turn, False),
    (the_same_tensor_on_both_sides, False),
    (a_leaf_changed_with_grad_enabled, True),
    (a_view_of_such_a_leaf, True),
]


def outcome(program, lib):
    try:
        return False, program(lib)
    except RuntimeError as error:
        return True, str(error)


@pytest.mark.parametrize("program, raises", [pytest.param(p, r, id=p.__name__) for p, r in CASES])
def test_graphlab_raises_where_pytorch_does_and_agrees_where_it_does_not(program, raises):
    raised, result = outcome(program, gt)
    assert raised == raises, result
    torch = pytest.importorskip("torch")
    torch_raised, torch_result = outcome(program, torch)
    assert torch_raised == raises, torch_result
    if not raises:
        assert result == torch_result or np.allclose(np.array(result, dtype=object).astype(float),
                                                     np.array(torch_result, dtype=object).astype(float))


def test_the_error_names_the_op_the_tensor_and_the_line_of_the_change():
    x = gt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    z = (y * y).sum()
    y.detach().add_(10)
    with pytest.raises(RuntimeError) as caught:
        z.backward()
    message = str(caught.value)
    assert "a tensor needed for the gradient of mul" in message
    assert f"was modified in place at {__file__}:" in message
    assert "its input of shape (3,), now at version 1" in message
    assert "detect_anomaly" in message  # how to see where the op was made
    assert x.grad is None  # nothing accumulated from the refused pass


def test_in_anomaly_mode_the_error_also_names_where_the_op_was_made():
    x = gt.tensor([1.0, 2.0], requires_grad=True)
    with gt.detect_anomaly():
        y = x.exp()
    z = y.sum()
    with gt.no_grad():
        y.mul_(2)
    with pytest.raises(RuntimeError, match=rf"gradient of exp at {__file__}:\d+ was modified in place at "):
        z.backward()


def test_a_custom_functions_saved_tensor_is_checked_too():
    class Square(gt.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * x * grad

    x = gt.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    y = Square.apply(h).sum()
    h.detach().add_(1)
    with pytest.raises(RuntimeError, match=r"gradient of Square was modified in place .*\(saved by save_for_backward"):
        y.backward()


def test_the_version_counts_as_pytorchs_and_is_shared_by_views_and_detached_aliases():
    x = gt.zeros(4)
    view, alias = x[1:], x.detach()
    assert x._version == 0
    x.add_(1)
    view.mul_(2)
    alias[0] = 5
    x += 1
    assert x._version == view._version == alias._version == 4
    assert x.numpy().tolist() == [6.0, 3.0, 3.0, 3.0]


def test_a_graph_without_in_place_changes_checks_nothing_per_saved_tensor():
    """The counter is made only for tensors that are changed in place or viewed: a plain graph has none."""
    x = gt.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).exp()
    assert x._counter is None and y._counter is None
