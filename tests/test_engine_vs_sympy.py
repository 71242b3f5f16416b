"""Property: for random formulas built from the table, the engine's gradients equal SymPy's."""

import math

import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from graphlab import EvaluationError, Value
from graphlab.ops import OPS

NAMES = ("x", "y", "z")
SMOOTH_UNARY = ["neg", "exp", "sin", "cos", "sigmoid", "tanh", "softplus", "square", "gelu", "gelu_tanh",
                "silu", "selu", "elu", "leaky_relu", "relu", "abs", "log", "sqrt", "reciprocal", "pow"]
BINARY = ["add", "sub", "mul", "div", "max", "min", "pow_var"]
KINKED = {"max", "min", "relu", "leaky_relu", "abs"}  # not differentiable where the arguments tie / at 0


class AtKink(Exception):
    """The formula passes through a kink at this point: the engine's convention is not SymPy's."""


def formulas(depth: int):
    leaf = st.one_of(st.sampled_from(NAMES), st.sampled_from([0.5, 2.0, -1.5, 3.0]))
    if depth == 0:
        return leaf
    smaller = formulas(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(st.sampled_from(SMOOTH_UNARY), smaller),
        st.tuples(st.sampled_from(BINARY), smaller, smaller),
    )


def evaluate(tree, leaves, symbols):
    """The formula as a Value graph and as a SymPy expression, node for node."""
    if isinstance(tree, str):
        return leaves[tree], symbols[tree]
    if isinstance(tree, float):
        return tree, sp.Float(tree)
    name, *args = tree
    pairs = [evaluate(a, leaves, symbols) for a in args]
    values, exprs = [p[0] for p in pairs], [p[1] for p in pairs]
    op = OPS[name]
    params = dict(op.params)
    if name in KINKED:
        data = [v.data if isinstance(v, Value) else v for v in values]
        if (data[0] == data[1]) if len(data) == 2 else data[0] == 0:
            raise AtKink
    if not any(isinstance(v, Value) for v in values):
        values[0] = Value(values[0], kind="const")
    return Value.apply(name, *values, **params), op.sympy(sp, *exprs, **params)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=formulas(3), point=st.tuples(*[st.floats(-2, 2).filter(lambda v: abs(v) > 0.05)] * 3))
def test_engine_gradients_match_sympy(tree, point):
    symbols = {n: sp.Symbol(n, real=True) for n in NAMES}
    leaves = {n: Value(v, n) for n, v in zip(NAMES, point)}
    try:
        out, expr = evaluate(tree, leaves, symbols)
    except (EvaluationError, AtKink):
        assume(False)
    assume(isinstance(out, Value) and abs(out.data) < 1e6)
    try:
        out.backward()
    except EvaluationError:
        assume(False)
    at = {symbols[n]: v for n, v in zip(NAMES, point)}
    for name in NAMES:
        symbolic = _numeric(sp.diff(expr, symbols[name]).subs(at).evalf())
        assume(symbolic.is_real and symbolic.is_finite)  # kinks and domain edges are not compared
        expected = float(symbolic)
        if abs(expected) > 1e6 or math.isnan(expected):
            continue
        assert leaves[name].grad == pytest.approx(expected, rel=1e-7, abs=1e-9), (tree, name)


def _numeric(expr):
    """``expr`` with every Heaviside step decided: SymPy leaves H(0.25·(erf(…) − 1)²) unevaluated."""
    return expr.replace(lambda e: isinstance(e, sp.Heaviside),
                        lambda e: sp.Heaviside(sp.N(e.args[0]), *e.args[1:])).evalf()
