"""The inspector's formulas come from the ops table; hints never give the number away."""

from __future__ import annotations

import math

from graphlab import Value
from graphlab.tui.explain import arrivals, expression, grad_hint, local_rules, value_hint


def test_local_derivative_formulas_of_a_division(lecture):
    trace = lecture.solve()
    division = trace.root
    rules = local_rules(division)
    assert [r.formula for r in rules] == ["∂(a/b)/∂a = 1/b", "∂(a/b)/∂b = −a/b²"]
    a, b = (trace.nodes[i].value for i in division.inputs)
    # The numbers are the trace's, and they are the formulas evaluated at the rounded inputs.
    assert math.isclose(rules[0].local, 1 / b) and math.isclose(rules[1].local, -a / b**2)
    assert rules[1].contribution == rules[1].local * division.grad


def test_power_and_function_expressions():
    x = Value(3.0, "x")
    cube = x ** 3
    soft = x.leaky_relu(0.1)
    (cube + soft).backward()
    assert expression(cube.trace().root) == "a^3"
    assert local_rules(cube.trace().root)[0].formula == "∂(a^3)/∂a = p·a^(p−1)"
    assert expression(soft.trace().root) == "LReLU(0.1)(a)"


def test_arrivals_sum_to_the_gradient(lecture):
    trace = lecture.solve()
    x0 = trace.inputs["x0"]
    incoming = arrivals(trace, x0.id)
    assert len(incoming) == 2
    assert math.isclose(sum(a.contribution for a in incoming), x0.grad)
    for a in incoming:
        assert math.isclose(a.upstream * a.local, a.contribution, abs_tol=0.005)


def test_hints_state_the_rule_without_the_number(lecture):
    trace = lecture.solve()
    exp_node = next(n for n in trace.nodes if n.op == "exp")
    value, grad = value_hint(trace, exp_node), grad_hint(trace, exp_node)
    assert "exp(a)" in value and "−a/b²" in grad
    for number in (exp_node.value, exp_node.grad):
        text = trace.policy.format(number)
        assert text not in value and text not in grad
    assert "several consumers" in grad_hint(trace, trace.inputs["x0"])
