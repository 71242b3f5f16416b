"""``autograd.Function`` in PyTorch's form, and ``autograd.grad`` / ``autograd.backward`` as functions."""

from __future__ import annotations

import numpy as np
import pytest

import graphlab.tensor as T
from graphlab.tensor.autograd import Function


class LegendrePolynomial3(Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)


class ScaledShift(Function):
    """Two tensors and two plain arguments; records what backward is asked for."""

    @staticmethod
    def forward(ctx, x, shift, scale, name):
        ctx.scale, ctx.name, ctx.asked = scale, name, ctx.needs_input_grad
        return x * scale + shift

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.scale, grad.sum(0), None, None  # shift was broadcast: its gradient is summed


class MinMax(Function):
    """Two outputs; the indices of the maximum are not differentiable."""

    @staticmethod
    def forward(ctx, x):
        low, high = x.amin(1), x.amax(1)
        where = x.argmax(1)
        ctx.save_for_backward(x, low, high)
        ctx.mark_non_differentiable(where)
        return low, high, where

    @staticmethod
    def backward(ctx, grad_low, grad_high, grad_where):
        x, low, high = ctx.saved_tensors
        return (x == low.unsqueeze(1)) * grad_low.unsqueeze(1) + (x == high.unsqueeze(1)) * grad_high.unsqueeze(1)


def test_the_tutorials_function_has_the_derivative_it_declares(device):
    x = T.tensor([-1.0, 0.5, 2.0], dtype="float64", requires_grad=True, device=device)
    y = LegendrePolynomial3.apply(x)
    assert y.grad_fn.name == "LegendrePolynomial3" and not y.is_leaf
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 1.5 * (5 * x.numpy() ** 2 - 1))


def test_it_matches_pytorch_inside_a_larger_graph():
    torch = pytest.importorskip("torch")
    values = np.array([0.3, -0.7, 1.1])
    results = []
    for lib, function in ((T, LegendrePolynomial3), (torch, None)):
        if function is None:
            class Torch3(torch.autograd.Function):
                forward = staticmethod(LegendrePolynomial3.forward)
                backward = staticmethod(LegendrePolynomial3.backward)
            function = Torch3
        c = lib.tensor(values, dtype=lib.float64, requires_grad=True)
        d = lib.tensor(0.3, dtype=lib.float64, requires_grad=True)
        loss = (function.apply(c + d * c) * c).pow(2).sum()
        loss.backward()
        results.append([loss.item(), c.grad.numpy().tolist(), d.grad.item()])
    np.testing.assert_allclose(results[0][0], results[1][0])
    np.testing.assert_allclose(results[0][1], results[1][1])
    np.testing.assert_allclose(results[0][2], results[1][2])


def test_plain_arguments_pass_through_and_needs_input_grad_says_which_tensors_need_one():
    x = T.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    shift = T.tensor([0.5, 0.5])
    y = ScaledShift.apply(x, shift, 3.0, "label")
    assert y.grad_fn.ctx.asked == (True, False, False, False)
    y.sum().backward()
    assert x.grad.tolist() == [[3.0, 3.0], [3.0, 3.0]] and shift.grad is None
    shift.requires_grad_()
    ScaledShift.apply(x, shift, 3.0, "label").sum().backward()
    assert shift.grad.tolist() == [2.0, 2.0]


def test_several_outputs_each_get_their_gradient_and_marked_ones_none():
    x = T.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 0.0]], requires_grad=True)
    low, high, where = MinMax.apply(x)
    assert where.dtype == "int64" and not where.requires_grad and high.requires_grad
    (2 * low + 10 * high).sum().backward()
    assert x.grad.tolist() == [[2.0, 10.0, 0.0], [10.0, 0.0, 2.0]]
    x.grad = None
    _, high, _ = MinMax.apply(x)
    high.sum().backward()  # low got no gradient: backward receives zeros for it, as PyTorch gives
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]


def test_without_inputs_that_require_grad_nothing_is_recorded():
    y = LegendrePolynomial3.apply(T.tensor([1.0, 2.0]))
    assert y.grad_fn is None and not y.requires_grad
    with T.no_grad():
        assert LegendrePolynomial3.apply(T.tensor([1.0], requires_grad=True)).grad_fn is None


def test_mistakes_in_a_backward_are_named():
    class TooFew(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad):
            return grad

    class WrongShape(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, grad):
            return T.ones(5)

    a, b = T.tensor([1.0, 2.0], requires_grad=True), T.tensor([3.0, 4.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"TooFewBackward returned an incorrect number of gradients \(expected "
                                           r"2, got 1\)"):
        TooFew.apply(a, b).sum().backward()
    with pytest.raises(RuntimeError, match=r"WrongShapeBackward returned an invalid gradient at index 0 - got \[5\] "
                                           r"but expected shape compatible with \[2\]"):
        WrongShape.apply(a).sum().backward()


def test_saved_tensors_are_freed_after_backward_and_asked_for_again_say_so():
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = LegendrePolynomial3.apply(x * 1).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [12.0, 57.0]
    z = LegendrePolynomial3.apply(x * 1).sum()
    z.backward()
    with pytest.raises(RuntimeError, match=r"already freed"):
        z.backward()


def test_mark_dirty_is_refused_with_a_clear_message():
    class AddOneInPlace(Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

    with pytest.raises(RuntimeError, match=r"mark_dirty .* is not supported by graphlab"):
        AddOneInPlace.apply(T.tensor([1.0], requires_grad=True) * 1)


# -- autograd.grad and autograd.backward -------------------------------------------------------------

def test_grad_returns_gradients_and_leaves_every_grad_alone():
    x = T.tensor([1.0, 2.0], requires_grad=True)
    w = T.tensor([3.0, 4.0], requires_grad=True)
    h = x * w
    y = (h * h).sum()
    gx, gh = T.autograd.grad(y, [x, h])
    assert gx.tolist() == [18.0, 64.0] and gh.tolist() == [6.0, 16.0]
    assert x.grad is None and w.grad is None


def test_grad_of_an_unused_input_needs_allow_unused_and_create_graph_is_refused():
    x, unused = T.tensor([1.0], requires_grad=True), T.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"appears to not have been used in the graph"):
        T.autograd.grad((x * x).sum(), [x, unused])
    assert T.autograd.grad((x * x).sum(), [x, unused], allow_unused=True)[1] is None
    assert T.autograd.grad((x * x).sum(), [unused], materialize_grads=True)[0].tolist() == [0.0]
    with pytest.raises(RuntimeError, match=r"create_graph=True .* is not supported by graphlab"):
        T.autograd.grad((x * x).sum(), x, create_graph=True)
    with pytest.raises(RuntimeError, match=r"does not require grad"):
        T.autograd.grad((x * x).sum(), T.tensor([1.0]))


def test_backward_of_several_outputs_and_only_into_chosen_inputs():
    x = T.tensor([1.0, 2.0], requires_grad=True)
    w = T.tensor([3.0, 4.0], requires_grad=True)
    a, b = (x * w).sum(), (x * x).sum()
    T.autograd.backward([a, b], [T.tensor(1.0), T.tensor(2.0)])
    assert x.grad.tolist() == [7.0, 12.0] and w.grad.tolist() == [1.0, 2.0]
    x.grad = w.grad = None
    (x * w).sum().backward(inputs=[w])
    assert x.grad is None and w.grad.tolist() == [1.0, 2.0]
