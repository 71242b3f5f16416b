"""Every entry of the operations table: each declared fact checked against the mathematics.

The local derivatives against SymPy and central differences; what each rule
reads against what it touches; the edges against where the op really is
undefined or kinked; the dtype class against integer inputs; the notation
against the formula parser; the names against the generated methods.
"""

import contextlib
import math

import pytest
import sympy as sp

from graphlab import scalar_math as M
from graphlab.ops import ALIASES, OPS, PLACEHOLDERS, Derivative, DtypeClass, EdgeKind, Form, Op, Precedence, d, lookup

POINTS = (-1.7, -0.35, 0.45, 1.3, 2.2)
POSITIVE_ONLY = {"log", "sqrt", "pow", "pow_var"}
PARAMS = {"pow": [{"p": 2.0}, {"p": 0.5}, {"p": -1.0}, {"p": 3.0}],
          "leaky_relu": [{"slope": 0.01}, {"slope": 0.2}],
          "elu": [{"alpha": 1.0}, {"alpha": 0.5}],
          "silu": [{"beta": 1.0}, {"beta": 1.7}],
          "hardtanh": [{"min_val": -1.0, "max_val": 1.0}, {"min_val": 0.0, "max_val": 2.0}]}


def param_sets(name):
    return PARAMS.get(name, [dict(OPS[name].params)])


def cases():
    for name, op in OPS.items():
        for params in param_sets(name):
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
    for i, rule in enumerate(op.rules):
        local = float(rule(M, out, *args, **params))
        symbolic = float(sp.diff(expression, symbols[i]).subs(dict(zip(symbols, args))).evalf())
        numeric = central_difference(lambda *xs: op.forward(M, *xs, **params), args, i)
        assert local == pytest.approx(symbolic, rel=1e-10, abs=1e-12)
        assert local == pytest.approx(numeric, rel=1e-6, abs=1e-8)


# -- what each rule reads -------------------------------------------------------------------------

class Touched(Exception):
    """A rule used a value it was handed as a poison."""


def _touch(*args, **kwargs):
    raise Touched


class Poison:
    """A value that raises ``Touched`` on any use: arithmetic, comparison or conversion."""

    __slots__ = ()
    for _name in ["add", "radd", "sub", "rsub", "mul", "rmul", "truediv", "rtruediv", "pow", "rpow", "neg", "pos", "abs", "lt", "le", "gt", "ge", "eq", "ne", "float", "bool", "int", "index"]:
        locals()[f"__{_name}__"] = _touch
    __hash__ = None


def misdeclared_reads(op: Op, derivative: Derivative, args, params) -> list[str]:
    """How ``derivative``'s declared ``reads`` differ from what its rule uses at ``args``."""
    values = dict(zip(("out", *PLACEHOLDERS), (op.forward(M, *args, **params), *args)))
    wrong = []
    for name in values:
        poisoned = [Poison() if key == name else value for key, value in values.items()]
        try:
            used = isinstance(derivative.fn(M, *poisoned, **params), Poison)  # mul's ∂/∂a is b itself
        except Touched:
            used = True
        if used != (name in derivative.reads):
            wrong.append(f"{name} {'read but not declared' if used else 'declared but not read'}")
    return wrong


@pytest.mark.parametrize("name", OPS)
def test_each_rule_reads_exactly_what_it_declares(name):
    """The tensor engine keeps, and checks for in-place edits, exactly the declared values."""
    op = OPS[name]
    args = (0.7, 1.3)[: op.arity] if name != "pow_var" else (0.7, 1.3)
    for params in param_sets(name):
        for derivative in op.derivatives:
            assert misdeclared_reads(op, derivative, args, params) == [], f"{name} {derivative.text} {params}"


def test_a_wrong_declaration_of_reads_is_caught():
    div = OPS["div"]
    forgets_a = d("−a/b²", div.derivatives[1].rule, reads="b")
    claims_out = d("1/b", div.derivatives[0].rule, reads="out b")
    assert misdeclared_reads(div, forgets_a, (0.7, 1.3), {}) == ["a read but not declared"]
    assert misdeclared_reads(div, claims_out, (0.7, 1.3), {}) == ["out declared but not read"]


def test_a_rule_that_reads_something_else_is_refused_when_the_table_loads():
    with pytest.raises(ValueError, match="reads x: a rule reads only out, a and b"):
        d("2x", lambda xp, out, a: 2.0 * a, reads="x")


def test_the_shorthand_reads_a_number_as_nothing_and_a_name_as_that_value():
    assert d("1", 1.0).reads == frozenset() and d("1", 1.0).fn(M, 5.0, 2.0, 3.0) == 1.0
    assert d("b", "b").reads == {"b"} and d("b", "b").fn(M, 5.0, 2.0, 3.0) == 3.0
    assert d("e^a", "out").fn(M, 5.0, 2.0) == 5.0


# -- edges ----------------------------------------------------------------------------------------

H = 1e-4


def undefined(op: Op, args, params) -> bool:
    """Whether the op's value or a local derivative is undefined or infinite at ``args``."""
    try:
        out = op.forward(M, *args, **params)
        values = [out, *(rule(M, out, *args, **params) for rule in op.rules)]
    except (ArithmeticError, ValueError):
        return True
    return not all(math.isfinite(v) for v in values)


def derivatives(op: Op, args, params) -> list[float]:
    out = op.forward(M, *args, **params)
    return [float(rule(M, out, *args, **params)) for rule in op.rules]


def edge_point(op: Op, edge, params, moving: int, fixed: float = 0.7) -> list[float] | None:
    """Arguments where ``edge.at`` is 0, moving argument ``moving`` (the others at ``fixed``), by bisection."""
    def at(t):
        args = [fixed] * op.arity
        args[moving] = t
        return edge.at(*args, **params)
    low, high = -3.0, 3.0
    if at(low) is None or at(low) * at(high) > 0:
        return None
    for _ in range(80):
        middle = (low + high) / 2
        low, high = (middle, high) if at(low) * at(middle) > 0 else (low, middle)
    args = [fixed] * op.arity
    args[moving] = (low + high) / 2
    return args


def edge_cases():
    for name, op in OPS.items():
        for params in param_sets(name) + ([{"alpha": 0.5}] if name == "elu" else []):
            for number in range(len(op.edges)):
                for moving in range(op.arity):
                    yield pytest.param(name, params, number, moving, id=f"{name}-{params}-{number}-{moving}")


@pytest.mark.parametrize("name, params, number, moving", list(edge_cases()))
def test_every_declared_edge_is_real(name, params, number, moving):
    """A kink's one-sided derivatives differ; a non-zero quantity's 0 is undefined; a positive one's below 0."""
    op, edge = OPS[name], OPS[name].edges[number]
    point = edge_point(op, edge, params, moving)
    if point is None:
        return  # this argument does not move the edge (a divisor is not its numerator), or p makes it vanish
    below, above = list(point), list(point)
    below[moving] -= H
    above[moving] += H
    if edge.kind == EdgeKind.KINK:
        if name == "elu" and params["alpha"] == 1.0:
            return  # ELU with α = 1 happens to be smooth at 0; its kink is real for any other α
        assert any(abs(x - y) > 1e-3 for x, y in zip(derivatives(op, below, params), derivatives(op, above, params)))
    elif edge.kind == EdgeKind.NONZERO:
        assert undefined(op, point, params) or undefined(op, [0.0 if i == moving else x for i, x in enumerate(point)],
                                                         params)
    else:
        assert undefined(op, below, params)


GRID = [-2.013 + 0.05 * k for k in range(81)]


@pytest.mark.parametrize("name", OPS)
def test_no_op_has_an_undeclared_edge(name):
    """Away from its declared edges every op is defined and its derivatives change smoothly."""
    op = OPS[name]
    for params in param_sets(name):
        for moving in range(op.arity):
            previous = None
            for t in GRID:
                args = [0.37] * op.arity
                args[moving] = t
                near = [edge for edge in op.edges if (at := edge.at(*args, **params)) is not None and (
                    at < 0.5 if edge.kind == EdgeKind.POSITIVE else abs(at) < (0.06 if edge.kind == EdgeKind.KINK
                                                                                else 0.5))]
                if near:
                    previous = None
                    continue
                assert not undefined(op, args, params), f"{name}{params} undefined at {args}"
                now = derivatives(op, args, params)
                if previous is not None:
                    assert all(abs(x - y) < 100 * 0.05 for x, y in zip(now, previous)), f"{name}{params} jumps at {args}"
                previous = now


# -- dtypes ---------------------------------------------------------------------------------------

def integer_results(op: Op, params, values) -> list[float]:
    results = []
    for args in ((a, b) for a in values for b in values):
        with contextlib.suppress(ArithmeticError, ValueError):  # outside the domain: no result
            results.append(op.forward(M, *args[: op.arity], **params))
    return results


@pytest.mark.parametrize("name", OPS)
def test_the_dtype_class_says_what_integers_give(name):
    """An integer op keeps non-negative integers whole; a float op makes a fraction of some integer."""
    op = OPS[name]
    if op.dtypes == DtypeClass.INTEGER:
        for params in param_sets(name):
            assert all(float(x).is_integer() for x in integer_results(op, params, range(4))), name
    else:
        assert any(not float(x).is_integer() for params in param_sets(name)
                   for x in integer_results(op, params, range(-3, 4))), name
    assert not op.refuses_bool or op.dtypes == DtypeClass.INTEGER


# -- notation and names ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", OPS)
def test_the_python_notation_reads_back_as_the_same_op(name):
    from graphlab.formula import Call, Name, parse, to_text

    op = OPS[name]
    params = tuple((k, v * 1.5) for k, v in op.params.items())
    expr = Call(name, tuple(Name(n) for n in ("x", "y")[: op.arity]), params)
    parsed = parse(to_text(expr), syntax="python")
    assert (parsed.op, [a.name for a in parsed.args], parsed.params) == (name, ["x", "y"][: op.arity], params)


LATEX_READS_AS_ANOTHER_OP = {"square": "pow", "reciprocal": "div"}
"""x^{2} and \\frac{1}{x} are what a student writes for them, and read back as the general op."""


@pytest.mark.parametrize("name", [name for name in OPS if name != "gelu_tanh"])  # GELU_t: slides' spelling only
def test_the_latex_notation_reads_back_as_the_same_op_with_the_same_value(name):
    from graphlab.formula import Call, Name, parse, to_text
    from graphlab.solve import solve

    op = OPS[name]
    params = tuple((k, v * 1.5 if k != "min_val" else -2.0) for k, v in op.params.items())
    expr = Call(name, tuple(Name(n) for n in ("x", "y")[: op.arity]), params)
    latex = to_text(expr, Form.LATEX)
    parsed = parse(latex, syntax="latex")
    assert parsed.op == LATEX_READS_AS_ANOTHER_OP.get(name, name), latex
    at = {"x": 0.7, "y": 1.3} if op.arity == 2 else {"x": 0.7}
    assert solve(latex, at).value == pytest.approx(solve(to_text(expr), at).value, rel=1e-12)


@pytest.mark.parametrize("name", OPS)
def test_the_latex_notation_is_drawn_by_mathtext(name):
    mathtext = pytest.importorskip("matplotlib.mathtext")
    from graphlab.formula import Call, Name, to_text

    op = OPS[name]
    expr = Call(name, tuple(Name(n) for n in ("x", "y")[: op.arity]), tuple(op.params.items()))
    width, height, *_ = mathtext.MathTextParser("path").parse(f"${to_text(expr, Form.LATEX)}$")
    assert width > 0 and height > 0


@pytest.mark.parametrize("name", [name for name, op in OPS.items() if op.commands])
def test_each_latex_command_reads_as_its_op(name):
    from graphlab.formula import parse

    op = OPS[name]
    for command in op.commands:
        text = f"\\{command}(x, y)" if op.arity == 2 else f"\\{command}{{x}}"
        assert parse(text, syntax="latex").op == name


def test_every_entry_is_complete():
    for name, op in OPS.items():
        assert op.name == name and op.doc
        assert op.symbol and op.arity in (1, 2)
        assert all(isinstance(derivative, Derivative) and derivative.text for derivative in op.derivatives)
        assert op.precedence in Precedence
        assert op.variant_of is None or op.variant_of[0] in OPS
        assert all(lookup(alias) is op for alias in op.aliases)


def test_the_op_list_is_covered():
    wanted = ["add", "sub", "mul", "div", "neg", "pow", "pow_var", "exp", "log", "sqrt", "abs", "square",
              "reciprocal", "sin", "cos", "max", "min", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu",
              "softplus", "silu", "gelu", "gelu_tanh", "hardtanh"]
    assert sorted(wanted) == sorted(OPS)


def test_every_declared_name_is_generated_and_only_powers_are_written_by_hand():
    """Each engine writes out only ``**`` (a number exponent is pow, a node exponent pow_var)."""
    import graphlab.tensor as gt
    from graphlab import Value

    def by_hand(namespace, names) -> set[str]:
        return {name for op in OPS.values() for name in names(op)
                if not (getattr(namespace, name).__doc__ or "").startswith(op.doc)}

    assert by_hand(Value, lambda op: op.methods + op.dunders) == {"__pow__"}
    assert by_hand(gt.Tensor, lambda op: op.functions + op.dunders) == {"pow", "__pow__", "__rpow__"}
    assert by_hand(gt, lambda op: op.functions) == {"pow"}


@pytest.mark.parametrize("name, a, expected", [
    ("relu", 0.0, 0.0), ("abs", 0.0, 0.0), ("leaky_relu", 0.0, 0.01), ("elu", 0.0, 1.0)])
def test_kinks_follow_pytorch(name, a, expected):
    op = OPS[name]
    params = dict(op.params)
    assert float(op.rules[0](M, op.forward(M, a, **params), a, **params)) == expected


def test_max_and_min_split_a_tie_evenly():
    for name in ("max", "min"):
        op = OPS[name]
        out = op.forward(M, 2.0, 2.0)
        assert [float(rule(M, out, 2.0, 2.0)) for rule in op.rules] == [0.5, 0.5]


def test_stable_forms_do_not_overflow():
    assert OPS["sigmoid"].forward(M, -1000.0) == 0.0
    assert OPS["softplus"].forward(M, 1000.0) == 1000.0
    assert OPS["elu"].forward(M, 1000.0, alpha=1.0) == 1000.0
    assert math.isfinite(OPS["silu"].forward(M, -1000.0, beta=1.0))


def test_labels_fill_in_parameters():
    assert lookup("pow").label({"p": 2.0}) == "^2"
    assert lookup("leaky_relu").label({"slope": 0.1}) == "LReLU(0.1)"
    assert lookup("pow").latex_label({"p": 3.0}) == "(\\cdot)^{3}"
    assert lookup("swish") is OPS["silu"] and ALIASES["ln"] == "log"


def test_written_forms_take_only_the_parentheses_they_need():
    atom, prefix = ("x", Precedence.ATOM), ("-y", Precedence.PREFIX)
    assert OPS["sub"].write([atom, ("a - b", Precedence.SUM)], form=Form.PYTHON)[0] == "x - (a - b)"
    assert OPS["mul"].write([atom, prefix], form=Form.PYTHON)[0] == "x*(-y)"
    assert OPS["neg"].write([("x**2", Precedence.POWER)], form=Form.PYTHON)[0] == "-x**2"
    assert OPS["pow"].write([prefix], {"p": 2.0}, form=Form.PYTHON)[0] == "(-y)**2"
    assert OPS["div"].write([atom, atom])[0] == "x/x" and OPS["square"].write([("a + b", Precedence.SUM)])[0] == "(a + b)²"


def test_powers_at_zero_have_pytorchs_gradients():
    pow_const, pow_var = OPS["pow"], OPS["pow_var"]
    assert pow_const.rules[0](M, 1.0, 0.0, p=0.0) == 0.0  # d(x**0)/dx at 0
    assert pow_var.rules[1](M, 0.0, 0.0, 2.0) == 0.0  # d(0**b)/db for b > 0
