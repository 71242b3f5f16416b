"""Both syntaxes read the same formula into the same tree, with Python's precedence."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from tree_shapes import formulas, shape

from graphlab.formula import parse
from graphlab.formula.build import build
from graphlab.formula.expr import Call, Name, Num, to_text
from graphlab.formula.latex_syntax import parse_latex
from graphlab.formula.python_syntax import parse_python

EXERCISE_PYTHON = "x0 / exp(-(x0*y0 + x1*y1))"
EXERCISE_LATEX = r"\frac{x_0}{e^{-(x_0y_0+x_1y_1)}}"


def test_the_lectures_exercise_is_one_tree_in_both_syntaxes():
    x0, y0, x1, y1 = Name("x0"), Name("y0"), Name("x1"), Name("y1")
    expected = Call("div", (x0, Call("exp", (Call("neg", (
        Call("add", (Call("mul", (x0, y0)), Call("mul", (x1, y1))),),)),))))
    assert shape(parse_python(EXERCISE_PYTHON)) == shape(expected)
    assert shape(parse_latex(EXERCISE_LATEX)) == shape(expected)
    assert to_text(parse(EXERCISE_LATEX)) == to_text(parse(EXERCISE_PYTHON)) == "x0/exp(-(x0*y0 + x1*y1))"


PAIRS = [
    # numbers, names, constants
    ("2", "2"), ("0.5", "0.5"), ("x_0", "x_0"), ("x10", "x_{10}"), ("x0*y0", "x_0y_0"),
    ("e", "e"), ("pi*r**2", r"\pi r^2"), ("alpha1*x", r"\alpha_1 x"), ("2*e", "2e"),
    # arithmetic and implicit multiplication
    ("a + b", "a+b"), ("a - b", "a-b"), ("a*b", r"a \cdot b"), ("a*b", r"a\times b"),
    ("a*b", "a*b"), ("a/b", "a/b"), ("a/b", r"\frac{a}{b}"), ("1/2", r"\frac12"),
    ("2*x", "2x"), ("x*(y + 1)", "x(y+1)"), ("a*b", "(a)(b)"), ("x*y", "xy"),
    ("(a + b)*(c - d)", r"\left(a+b\right)\left[c-d\right]"), ("a", "{a}"),
    # signs
    ("-2", "-2"), ("-x", "-x"), ("x", "+x"), ("-(x + y)", "-(x+y)"), ("x - -2", "x - -2"),
    ("--2", "--2"),
    # powers
    ("x**2", "x^2"), ("x**-1", "x^{-1}"), ("x**0.5", "x^{0.5}"), ("x**y", "x^{y}"),
    ("x**y", "x^y"), ("2**x", "2^x"), ("x**(y + 1)", "x^{y+1}"), ("x0**2", "x_0^2"),
    ("(x + 1)**2", "(x+1)^2"), ("(a/b)**2", r"\frac{a}{b}^2"),
    # exp, log and the other functions
    ("exp(x)", "e^x"), ("exp(x)", "e^{x}"), ("exp(-x)", "e^{-x}"), ("exp(x)", r"\exp(x)"),
    ("exp(x)", r"\exp x"), ("exp(x)", r"\mathrm{e}^{x}"), ("log(x)", r"\ln x"), ("ln(x)", r"\log(x)"),
    ("sqrt(x)", r"\sqrt{x}"), ("sqrt(x)**2", r"\sqrt{x}^2"), ("log(x**2)", r"\ln x^2"),
    ("log(x)**2", r"\ln(x)^2"), ("log(2)*x", r"\ln 2x"), ("sigmoid(x)", r"\sigma(x)"),
    ("tanh(x)", r"\tanh x"), ("sin(x)", r"\sin x"), ("cos(x)", r"\cos\left(x\right)"),
    ("max(a, b)", r"\max(a, b)"), ("min(a, b)", r"\min\left(a, b\right)"),
    ("abs(x)", "|x|"), ("abs(x)", r"\left|x\right|"), ("abs(x)", r"\lvert x\rvert"),
    ("abs(abs(x) - 1)", "||x|-1|"), ("abs(a)*b*abs(c)", "|a|b|c|"), ("abs(log(abs(x)))", r"|\ln |x||"),
    ("abs(x)", r"\left\lvert x\right\rvert"),
    ("relu(x)", r"\operatorname{relu}(x)"), ("relu(x)", r"\mathrm{ReLU}(x)"),
    ("leaky_relu(x, 0.1)", r"\mathrm{LReLU}(x, 0.1)"), ("leaky_relu(x)", r"\operatorname{leaky\_relu}(x)"),
    ("elu(x, 0.5)", r"\operatorname{ELU}(x, 0.5)"), ("selu(x)", r"\mathrm{SELU}(x)"),
    ("softplus(x)", r"\operatorname{softplus}(x)"), ("swish(x, 2)", r"\operatorname{silu}(x, 2)"),
    ("gelu(x)", r"\mathrm{GELU}(x)"), ("gelu_tanh(x)", r"\operatorname{gelu\_tanh}(x)"),
    ("square(x)", r"\operatorname{square}(x)"), ("reciprocal(x)", r"\operatorname{recip}(x)"),
    ("pow(x, 3)", "x^3"), ("pow(x, y)", "x^{y}"),
    # spacing is ignored
    ("x*y*z*w", r"x\,y\;z\!w"), ("a + b", r"$a \qquad + ~b\quad$"),
    ("x0/exp(-(x0*y0 + x1*y1))", EXERCISE_LATEX),
]


@pytest.mark.parametrize("python, latex", PAIRS)
def test_python_and_latex_forms_give_the_same_tree(python, latex):
    assert shape(parse_python(python)) == shape(parse_latex(latex))
    assert to_text(parse_python(python)) == to_text(parse_latex(latex))


PRECEDENCE = [
    # (formula in both syntaxes, the tree as fully parenthesised text)
    ("a-b-c", ("sub", (("sub", ("a", "b")), "c"))),
    ("a/b/c", ("div", (("div", ("a", "b")), "c"))),
    ("a-b+c", ("add", (("sub", ("a", "b")), "c"))),
    ("a+b*c", ("add", ("a", ("mul", ("b", "c"))))),
    ("a*b/c", ("div", (("mul", ("a", "b")), "c"))),
    ("a/b*c", ("mul", (("div", ("a", "b")), "c"))),
    ("-x^2", ("neg", (("pow", ("x",)),))),
    ("-x y", ("mul", (("neg", ("x",)), "y"))),
    ("-2^2", ("neg", (("pow", ("2",)),))),
    ("x^{y^{z}}", ("pow_var", ("x", ("pow_var", ("y", "z"))))),
    ("a+-b", ("add", ("a", ("neg", ("b",))))),
]


def _outline(expr):
    if isinstance(expr, Num):
        return expr.text
    if isinstance(expr, Name):
        return expr.name
    return (expr.op, tuple(_outline(a) for a in expr.args))


@pytest.mark.parametrize("latex, outline", PRECEDENCE)
def test_precedence_and_associativity_are_pythons(latex, outline):
    python = latex.replace("^", "**").replace("{", "(").replace("}", ")").replace("x y", "x*y")
    assert _outline(parse_python(python)) == outline
    assert _outline(parse_latex(latex)) == outline


def test_literal_exponents_become_the_pow_parameter():
    assert parse_python("x**-1").params == (("p", -1.0),)
    assert parse_latex("x^{0.5}").params == (("p", 0.5),)
    assert parse_python("x**e").op == "pow_var"  # a named constant is not a literal
    assert parse_python("-2") == Num(-2.0, "-2", (0, 2))


def test_omitted_parameters_take_the_tables_defaults():
    assert parse_python("leaky_relu(x)").params == (("slope", 0.01),)
    assert parse_latex(r"\operatorname{swish}(x)").params == (("beta", 1.0),)
    assert parse_python("elu(x)").params == parse_python("elu(x, 1.0)").params == (("alpha", 1.0),)


def test_spans_point_at_the_source():
    text = "x0 / exp(-(x0*y0 + x1*y1))"
    tree = parse_python(text)
    assert tree.span == (0, len(text))
    assert text[slice(*tree.args[1].span)] == "exp(-(x0*y0 + x1*y1))"
    assert text[slice(*tree.args[1].args[0].args[0].span)] == "x0*y0 + x1*y1"
    latex = EXERCISE_LATEX
    tree = parse_latex(latex)
    assert tree.span == (0, len(latex))
    assert latex[slice(*tree.args[1].span)] == "e^{-(x_0y_0+x_1y_1)}"
    assert latex[slice(*tree.args[1].args[0].args[0].args[1].span)] == "x_1y_1"
    unicode = "αβ + exp(γ)"
    assert unicode[slice(*parse_python(unicode).args[1].span)] == "exp(γ)"  # ast counts bytes


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formulas())
def test_random_formulas_parse_to_the_tree_they_were_built_from(piece):
    assert shape(parse_python(piece.python)) == shape(piece.tree)
    assert shape(parse_latex(piece.latex)) == shape(piece.tree)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formulas())
def test_printing_a_parsed_formula_and_parsing_it_again_gives_the_same_tree(piece):
    tree = parse_python(piece.python)
    assert shape(parse_python(to_text(tree))) == shape(tree)


def test_a_negative_literal_base_survives_printing():
    tree = parse_python("(-2)**x")
    assert shape(parse_python(to_text(tree))) == shape(tree)


def _leaf_gradients(output):
    return {node.label: node.grad for node in output.topological_order() if node.kind == "input"}


@pytest.mark.parametrize("text", [EXERCISE_PYTHON, EXERCISE_LATEX])
def test_building_the_exercise_gives_the_hand_computed_numbers(text):
    # f = x0 / e^{-s} = x0·e^s with s = x0·y0 + x1·y1 = 1 + 2 = 3, so
    # ∂f/∂x0 = e^s + x0·y0·e^s, ∂f/∂x1 = x0·y1·e^s, ∂f/∂y0 = x0²·e^s, ∂f/∂y1 = x0·x1·e^s.
    output = build(parse(text), {"x0": 1.0, "x1": -1.0, "y0": 1.0, "y1": -2.0})
    output.backward()
    e3 = math.exp(3)
    assert output.data == pytest.approx(e3, rel=1e-12)
    assert round(output.data, 4) == 20.0855
    assert _leaf_gradients(output) == pytest.approx({"x0": 2 * e3, "x1": -2 * e3, "y0": e3, "y1": -e3},
                                                     rel=1e-12)


def test_a_precise_exponent_survives_printing():
    tree = parse_python("leaky_relu(x, 0.1234567)**1.0000001")
    assert shape(parse_python(to_text(tree))) == shape(tree)


def test_euler_to_a_power_is_exp_in_both_syntaxes():
    assert to_text(parse("e**(-x)")) == to_text(parse("e^{-x}", "latex")) == "exp(-x)"
