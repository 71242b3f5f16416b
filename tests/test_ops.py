"""Every entry of the operations table: its local derivatives against SymPy and finite differences."""

import math

import pytest
import sympy as sp

from graphlab import scalar_math as M
from graphlab.ops import OPS, lookup

POINTS = (-1.7, -0.35, 0.45, 1.3, 2.2)
POSITIVE_ONLY = {"log", "sqrt", "pow", "pow_var"}
PARAMS = {"pow": [{"p": 2.0}, {"p": 0.5}, {"p": -1.0}, {"p": 3.0}],
          "leaky_relu": [{"slope": 0.01}, {"slope": 0.2}],
          "elu": [{"alpha": 1.0}, {"alpha": 0.5}],
          "silu": [{"beta": 1.0}, {"beta": 1.7}]}


def cases():
    for name, op in OPS.items():
        for params in PARAMS.get(name, [dict(op.params)]):
            for i, a in enumerate(POINTS):
                a = abs(a) + 0.1 if name in POSITIVE_ONLY else a
                b = POINTS[(i + 2) % len(POINTS)]  # differs from a: no ties for max/min
                if name == "pow_var":
                    b = abs(b)
                yield pytest.param(name, params, (a, b)[: op.arity], id=f"{name}-{params}-{a}")


def central_difference(f, args, i, h=1e-6):
    up, down = list(args), list(args)
    up[i] += h
    down[i] -= h
    return (f(*up) - f(*down)) / (2 * h)


@pytest.mark.parametrize("name, params, args", list(cases()))
def test_local_derivatives_match_sympy_and_finite_differences(name, params, args):
    op = OPS[name]
    out = op.forward(M, *args, **params)
    symbols = sp.symbols(f"a0:{op.arity}", real=True)
    expression = op.sympy(sp, *symbols, **params)
    assert float(expression.subs(dict(zip(symbols, args)))) == pytest.approx(out, rel=1e-12, abs=1e-12)
    for i, derivative in enumerate(op.derivatives):
        local = float(derivative(M, out, *args, **params))
        symbolic = float(sp.diff(expression, symbols[i]).subs(dict(zip(symbols, args))).evalf())
        numeric = central_difference(lambda *xs: op.forward(M, *xs, **params), args, i)
        assert local == pytest.approx(symbolic, rel=1e-10, abs=1e-12)
        assert local == pytest.approx(numeric, rel=1e-6, abs=1e-8)


def test_every_entry_is_complete():
    for name, op in OPS.items():
        assert op.name == name
        assert op.symbol and op.arity in (1, 2)
        assert len(op.derivative_text) == op.arity, name


def test_issue_op_list_is_covered():
    wanted = ("add sub mul div neg pow pow_var exp log sqrt abs square reciprocal sin cos max min "
              "sigmoid tanh relu leaky_relu elu selu softplus silu gelu gelu_tanh").split()
    assert sorted(wanted) == sorted(OPS)


@pytest.mark.parametrize("name, a, expected", [
    ("relu", 0.0, 0.0), ("abs", 0.0, 0.0), ("leaky_relu", 0.0, 0.01), ("elu", 0.0, 1.0)])
def test_kinks_follow_pytorch(name, a, expected):
    op = OPS[name]
    params = dict(op.params)
    assert float(op.derivatives[0](M, op.forward(M, a, **params), a, **params)) == expected


def test_max_and_min_split_a_tie_evenly():
    for name in ("max", "min"):
        op = OPS[name]
        out = op.forward(M, 2.0, 2.0)
        assert [float(d(M, out, 2.0, 2.0)) for d in op.derivatives] == [0.5, 0.5]


def test_stable_forms_do_not_overflow():
    assert OPS["sigmoid"].forward(M, -1000.0) == 0.0
    assert OPS["softplus"].forward(M, 1000.0) == 1000.0
    assert OPS["elu"].forward(M, 1000.0, alpha=1.0) == 1000.0
    assert math.isfinite(OPS["silu"].forward(M, -1000.0, beta=1.0))


def test_labels_fill_in_parameters():
    assert lookup("pow").label({"p": 2.0}) == "^2"
    assert lookup("leaky_relu").label({"slope": 0.1}) == "LReLU(0.1)"
    assert lookup("swish") is OPS["silu"]


def test_powers_at_zero_have_pytorchs_gradients():
    pow_const, pow_var = OPS["pow"], OPS["pow_var"]
    assert pow_const.derivatives[0](M, 1.0, 0.0, p=0.0) == 0.0  # d(x**0)/dx at 0
    assert pow_var.derivatives[1](M, 0.0, 0.0, 2.0) == 0.0  # d(0**b)/db for b > 0
