"""Helpers for the formula tests: trees compared without spans, and random formulas.

``formulas()`` draws a random formula from the operations table and writes it
three ways at once: Python-style text, LaTeX text, and the tree both must parse
into. The expected tree is built here from the rules in the parsers' contract
(``-2`` is a negative literal, ``x**2`` is ``pow`` with p=2, omitted parameters
take the table's defaults), not by calling the parsers.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from hypothesis import assume
from hypothesis import strategies as st

from graphlab.formula.expr import Call, Expr, Name, Num
from graphlab.ops import OPS


def shape(expr: Expr):
    """The tree as nested tuples, spans left out, so two syntaxes can be compared."""
    if isinstance(expr, Num):
        return ("num", expr.value, expr.text)
    if isinstance(expr, Name):
        return ("name", expr.name)
    return (expr.op, tuple(shape(a) for a in expr.args), expr.params)


class Piece(NamedTuple):
    """One sub-formula: its Python text, its LaTeX text, its tree, and what kind of leaf it is."""

    python: str
    latex: str
    tree: Expr
    kind: str  # "number" (digits as written), "negative" (a folded -number) or "other"


_NAMES = [("x0", "x_0", "x0"), ("x_1", "x_{1}", "x1"), ("y10", "y_{10}", "y10"), ("a", "a", "a"),
          ("w", "w", "w")]

_DECIMALS = st.one_of(
    st.integers(0, 999_999).map(str),
    st.tuples(st.integers(0, 999), st.integers(0, 999)).map(lambda p: f"{p[0]}.{p[1]}"),
)
"""Literal texts with at most six significant digits (what ``to_text`` prints exactly)."""


def _number(text: str) -> Piece:
    return Piece(text, text, Num(float(text), text), "number")


def _leaves():
    names = st.sampled_from(_NAMES).map(lambda n: Piece(n[0], n[1], Name(n[2]), "other"))
    constants = st.sampled_from([Piece("e", "(e)", Num(math.e, "e"), "other"),
                                 Piece("pi", "\\pi", Num(math.pi, "pi"), "other")])
    return st.one_of(names, _DECIMALS.map(_number), constants)


def _negate(p: Piece) -> Piece:
    if p.kind == "number":
        return Piece(f"-({p.python})", f"-({p.latex})", Num(-p.tree.value, "-" + p.tree.text), "negative")
    return Piece(f"-({p.python})", f"-({p.latex})", Call("neg", (p.tree,)), "other")


def _power_tree(base: Piece, exponent: Piece) -> Expr:
    if isinstance(base.tree, Num) and base.tree.text == "e":  # Euler's number to a power is exp
        return Call("exp", (exponent.tree,))
    if exponent.kind in ("number", "negative"):
        return Call("pow", (base.tree,), (("p", exponent.tree.value),))
    return Call("pow_var", (base.tree, exponent.tree))


def _binary(op: str, a: Piece, b: Piece, style: int) -> Piece:
    python = f"({a.python}) { {'add': '+', 'sub': '-', 'mul': '*', 'div': '/'}[op]} ({b.python})"
    if op == "div":
        latex = f"\\frac{{{a.latex}}}{{{b.latex}}}" if style else f"({a.latex})/({b.latex})"
    elif op == "mul":
        latex = [f"({a.latex})({b.latex})", f"({a.latex})\\cdot({b.latex})", f"({a.latex})\\times({b.latex})"][style]
    else:
        latex = f"\\left({a.latex}\\right) {'+' if op == 'add' else '-'} \\left({b.latex}\\right)"
    return Piece(python, latex, Call(op, (a.tree, b.tree)), "other")


_LATEX_FUNCTIONS = {"exp": "\\exp", "log": "\\ln", "sqrt": "\\sqrt", "sin": "\\sin", "cos": "\\cos",
                    "tanh": "\\tanh", "sigmoid": "\\sigma", "max": "\\max", "min": "\\min"}
_SPELLINGS = {"log": ["log", "ln"], "silu": ["silu", "swish"], "reciprocal": ["reciprocal", "recip"]}
_CALLED = sorted(name for name, op in OPS.items() if name not in ("neg", "pow", "pow_var"))


@st.composite
def _call(draw, children) -> Piece:
    op_name = draw(st.sampled_from(_CALLED))
    op = OPS[op_name]
    spelled = draw(st.sampled_from(_SPELLINGS.get(op_name, [op_name])))
    args = [draw(children) for _ in range(op.arity)]
    given = draw(st.lists(_DECIMALS, max_size=len(op.params)))
    params = tuple((name, float(given[i]) if i < len(given) else default)
                   for i, (name, default) in enumerate(op.params.items()))
    assume(not op.refusal(dict(params)))  # hardtanh(x, 2) has min_val above its max_val: refused, as it should be
    python = f"{spelled}({', '.join([a.python for a in args] + given)})"
    command = _LATEX_FUNCTIONS.get(op_name, f"\\operatorname{{{spelled}}}")
    latex = f"{command}\\left({', '.join([a.latex for a in args] + given)}\\right)"
    return Piece(python, latex, Call(op_name, tuple(a.tree for a in args), params), "other")


def _extend(children):
    binary = st.tuples(st.sampled_from(["add", "sub", "mul", "div"]), children, children,
                       st.integers(0, 2)).map(lambda t: _binary(*t))
    power = st.tuples(children, children).map(
        lambda t: Piece(f"({t[0].python})**({t[1].python})", f"{{({t[0].latex})}}^{{{t[1].latex}}}",
                        _power_tree(*t), "other"))
    exp = children.map(lambda c: Piece(f"exp({c.python})", f"e^{{{c.latex}}}", Call("exp", (c.tree,)), "other"))
    return st.one_of(binary, power, exp, children.map(_negate), _call(children))


def formulas(max_leaves: int = 12):
    """Random formulas over every op of the table, as ``Piece``s."""
    return st.recursive(_leaves(), _extend, max_leaves=max_leaves)
