"""The scalar engine: the lecture's classics, accumulation, ordering, no_grad, errors."""

import gc
import math

import pytest

from graphlab import EvaluationError, RoundingPolicy, Value, no_grad, round_to


def lecture_exercise():
    x0, x1, y0, y1 = Value(1, "x0"), Value(-1, "x1"), Value(1, "y0"), Value(-2, "y1")
    f = x0 / (-(x0 * y0 + x1 * y1)).exp()
    return f, (x0, x1, y0, y1)


def test_cs231n_add_then_multiply():
    x, y, z = Value(-2, "x"), Value(5, "y"), Value(-4, "z")
    f = (x + y) * z
    f.backward()
    assert f.data == -12
    assert (x.grad, y.grad, z.grad) == (-4, -4, 3)


def test_sigmoid_neuron():
    w0, x0, w1, x1, w2 = (Value(v, n) for v, n in [(2, "w0"), (-1, "x0"), (-3, "w1"), (-2, "x1"), (-3, "w2")])
    f = 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())
    f.backward()
    assert f.data == pytest.approx(0.7310585786)
    assert [round(v.grad, 2) for v in (w0, w1, w2)] == [-0.20, -0.39, 0.20]
    assert [round(v.grad, 2) for v in (x0, x1)] == [0.39, -0.59]


def test_lecture_exercise_exact():
    f, (x0, x1, y0, y1) = lecture_exercise()
    f.backward()
    e3 = math.exp(3)
    assert f.data == pytest.approx(e3)
    assert [v.grad for v in (x0, x1, y0, y1)] == pytest.approx([2 * e3, -2 * e3, e3, -e3])


def test_lecture_exercise_rounded_every_node():
    with round_to(2):
        f, inputs = lecture_exercise()
    f.backward()
    assert f.data == 20.0
    assert [v.grad for v in inputs] == [40.0, -40.0, 20.0, -20.0]


@pytest.mark.parametrize("build, expected", [
    (lambda a: a + a, 2.0), (lambda a: a * a, 6.0), (lambda a: a * a * a, 27.0),
    (lambda a: (a + 1) * (a - 1), 6.0), (lambda a: a / a, 0.0)])
def test_gradients_accumulate_over_every_use(build, expected):
    a = Value(3.0, "a")
    build(a).backward()
    assert a.grad == pytest.approx(expected)


def test_fan_out_through_intermediate():
    a = Value(2.0, "a")
    b = a * 3
    f = b * b + b
    f.backward()
    assert a.grad == pytest.approx((2 * 6 + 1) * 3)


def test_backward_twice_accumulates_leaves_only():
    a, b = Value(2.0, "a"), Value(5.0, "b")
    c = a * b
    f = c + c
    f.backward()
    f.backward()
    assert (a.grad, b.grad) == (20.0, 8.0)  # twice one pass: 2·b and 2·a, summed twice
    assert c.grad == 1.0 * 2  # an intermediate holds the latest pass alone
    f.zero_grad()
    assert (a.grad, b.grad, c.grad) == (0.0, 0.0, 0.0)


def test_deep_graph_has_no_recursion_limit():
    x = Value(0.5, "x")
    y = x
    for _ in range(20_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0


def test_topological_order_is_deterministic_and_ordered():
    def order():
        f, _ = lecture_exercise()
        return [(v.kind, v.label, v.op.name if v.op else None) for v in f.topological_order()]

    first = order()
    assert first == order()
    assert first[0] == ("input", "x0", None)
    assert first[-1][2] == "div"


def test_graph_holds_no_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        f, _ = lecture_exercise()
        f.backward()
        del f
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_no_grad_records_nothing():
    a = Value(2.0, "a")
    with no_grad():
        b = a * a
    assert b.inputs == () and b.data == 4.0
    c = a * a
    assert len(c.inputs) == 2


def test_one_grad_mode_for_both_engines():
    """graphlab.no_grad() stops tensor recording, graphlab.tensor.no_grad() stops Value recording."""
    import graphlab
    import graphlab.tensor as gt

    a, x = Value(2.0, "a"), gt.tensor([2.0], requires_grad=True)
    with graphlab.no_grad():
        assert not (x * x).requires_grad and not gt.is_grad_enabled()
        with gt.enable_grad():
            assert (x * x).requires_grad and len((a * a).inputs) == 2
    with gt.no_grad():
        assert (a * a).inputs == () and not graphlab.is_grad_enabled()
    assert gt.no_grad is graphlab.no_grad and (x * x).requires_grad and len((a * a).inputs) == 2


def test_generated_methods_take_parameters_by_position_or_keyword_and_refuse_the_rest():
    x = Value(-2.0, "x")
    assert x.leaky_relu().data == -0.02 and x.leaky_relu(0.5).data == x.leaky_relu(slope=0.5).data == -1.0
    assert x.gelu("tanh").op.name == "gelu_tanh" and x.gelu().op.name == "gelu" and x.swish().op.name == "silu"
    with pytest.raises(TypeError, match="unexpected keyword argument 'alpha'; its parameters are slope"):
        x.leaky_relu(alpha=1.0)
    with pytest.raises(TypeError, match="slope must be a number"):
        x.leaky_relu("0.1")
    with pytest.raises(ValueError, match="approximate must be 'none' or 'tanh', got 'erf'"):
        x.gelu("erf")
    with pytest.raises(TypeError):
        x.exp(2.0)


def test_numbers_on_either_side_become_constants():
    x = Value(4.0, "x")
    for f, value, grad in [(2 - x, -2, -1), (x - 2, 2, 1), (8 / x, 2, -0.5), (2 ** Value(3.0), 8, None),
                           (x ** 0.5, 2, 0.25), (3 * x, 12, 3)]:
        x.grad = 0.0
        f.backward()
        assert f.data == pytest.approx(value)
        if grad is not None:
            assert x.grad == pytest.approx(grad)
    assert (2 - x).inputs[0].kind == "const"


@pytest.mark.parametrize("build, problem", [
    (lambda x: (x - 2).log(), "log of a non-positive number"),
    (lambda x: x / (x - 2), "division by zero"),
    (lambda x: (-x).sqrt(), "square root of a negative number"),
    (lambda x: (x * 1000).exp(), "overflows")])
def test_undefined_values_name_the_node(build, problem):
    x = Value(2.0, "x")
    with pytest.raises(EvaluationError, match=problem) as err:
        build(x)
    assert err.value.node.op is not None


def test_rounding_to_zero_then_dividing_names_the_division():
    with round_to(2):
        x = Value(1.0, "x")
        e = Value(-10.0, "s").exp()  # 4.5e-5 → 0.00
        assert e.data == 0.0
        with pytest.raises(EvaluationError, match=r"div node .*division by zero"):
            x / e


def test_rounding_scope_is_restored():
    with round_to(RoundingPolicy(1)):
        a = Value(1.0) / 3
    b = Value(1.0) / 3
    assert a.data == 0.3 and b.data == pytest.approx(1 / 3)


def test_a_backward_that_fails_midway_changes_no_gradient():
    a, c = Value(0.0, "a"), Value(3.0, "c")
    y = a.sqrt() + c  # sqrt'(0) is undefined; c's gradient is reached before it
    c.grad = 5.0  # from an earlier pass
    with pytest.raises(EvaluationError, match="local derivative is undefined"):
        y.backward()
    assert (a.grad, c.grad, y.grad) == (0.0, 5.0, 0.0)
    assert not any(hasattr(node, "_pending") for node in y.topological_order())


def test_parameters_an_op_refuses_are_refused_by_name():
    """An op may declare which parameter values it refuses (Op.check); every way of calling it asks."""
    from dataclasses import replace

    from graphlab import OPS, methods

    refusing = replace(OPS["leaky_relu"], check=lambda slope: "slope must be small" if slope > 1 else "")
    assert methods.parameter_values(refusing, "leaky_relu", (0.5,), {}) == (0.5,)
    with pytest.raises(ValueError, match="leaky_relu: slope must be small"):
        methods.parameter_values(refusing, "leaky_relu", (), {"slope": 2.0})
