"""The table of operations: every op graphlab knows, declared once.

Each entry is a row of the lecture's table of local gradients: the op, its
forward function, one local derivative per input (the formula a student reads,
the rule as code, and which values the rule reads), and the op's SymPy form.
The rest of the row says everything else the code base needs to know about the
op, so that nothing is re-listed elsewhere:

* how it is written: the symbol drawn in its node, its LaTeX, the readable
  formula on the placeholders ``a`` and ``b`` with its precedence, and its
  Python operator if it has one;
* what it is called: the ``Value``/``Tensor`` methods and ``graphlab.tensor``
  functions generated from it (``graphlab.methods``), the names a formula may
  use, and the LaTeX commands the formula reader takes for it;
* where it is delicate: its domain and its kinks (the variant checks keep away
  from them, anomaly mode names them);
* what dtype its result has for integer or bool inputs (``tensor/promotion.py``).

Rules are written against an array namespace ``xp`` (``scalar_math`` for the
scalar engine, NumPy or CuPy for tensors) and take the op's output ``out``
then its inputs' forward values, so "the derivative of exp is its output" uses
the (possibly rounded) output exactly as the lecture does. A rule's ``reads``
names what it uses of ``out``, ``a`` and ``b``, as PyTorch's derivatives.yaml
and Chainer's ``retain_inputs`` declare it: the tensor engine keeps exactly
those values for backward and checks exactly those for in-place changes. SymPy
is imported by the caller and passed in as ``sp``; importing this table never
imports SymPy.

Conventions at kinks follow PyTorch: relu'(0) = 0, |x|'(0) = 0, and max/min
split the gradient evenly between tied inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
GELU_TANH_C = 0.044715

PLACEHOLDERS = ("a", "b")
"""What the readable formulas and the derivative texts call an op's inputs."""


class Precedence(IntEnum):
    """How tightly an op's written form binds its operands, loosest first."""

    SUM = 1  # a + b, a − b
    PRODUCT = 2  # a·b, a/b
    PREFIX = 3  # −a
    POWER = 4  # a^b, a², √a
    ATOM = 5  # a name, a number, f(a), |a|


class Form(StrEnum):
    """The notations an op is written in: ``Op.formula``, ``Op.python`` and ``Op.tex``."""

    READABLE = "readable"
    PYTHON = "python"
    LATEX = "latex"


class DtypeClass(StrEnum):
    """What an op gives for integer or bool inputs, as PyTorch's type promotion does."""

    FLOAT = "float"
    """Integer or bool inputs give float32: true division, exp, sqrt …"""
    INTEGER = "integer"
    """Integer inputs stay int64 and bool inputs stay bool: +, ×, max, ReLU …"""


class EdgeKind(StrEnum):
    """Where an op is delicate, in terms of a quantity of its arguments."""

    KINK = "kink"
    """The derivative jumps where the quantity is 0 (ReLU at 0, max of two equal numbers)."""
    NONZERO = "nonzero"
    """The op is undefined where the quantity is 0 (a divisor)."""
    POSITIVE = "positive"
    """The op or its derivative is defined only where the quantity is above 0 (log, √)."""


@dataclass(frozen=True)
class Edge:
    """One edge case of an op: ``at(a[, b], **params)`` is the quantity to keep away from 0
    (``None`` where the edge does not apply to these parameters), and ``says`` names the case
    (``{op}`` stands for the op's name)."""

    kind: EdgeKind
    at: Callable[..., float | None]
    says: str


@dataclass(frozen=True)
class Derivative:
    """∂out/∂(one input): the formula a student reads, the rule as code, and what the rule reads.

    ``rule`` is a number (add's 1), the name of the one value it is (mul's
    ∂/∂a is ``"b"``, exp's is ``"out"``), or a function
    ``(xp, out, a[, b], **params)`` whose ``reads`` name the values it uses.
    ``fn`` is the rule as a function in every case.
    """

    text: str
    rule: Callable[..., Any] | float | str
    reads: frozenset[str]
    fn: Callable[..., Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = self.reads - {"out", *PLACEHOLDERS}
        if unknown:
            raise ValueError(f"the derivative {self.text!r} reads {', '.join(sorted(unknown))}: "
                             "a rule reads only out, a and b")
        if isinstance(self.rule, str):
            object.__setattr__(self, "fn", _reader(self.rule))
        elif isinstance(self.rule, float):
            object.__setattr__(self, "fn", _constant(self.rule))
        else:
            object.__setattr__(self, "fn", self.rule)


def d(text: str, rule: Callable[..., Any] | float | str, reads: str = "") -> Derivative:
    """A local derivative in the table's shorthand: ``d("−a/b²", lambda …, reads="a b")``.

    A number reads nothing and a value's name reads that value, so only a
    function says what it reads.
    """
    if isinstance(rule, str):
        return Derivative(text, rule, frozenset({rule}))
    if isinstance(rule, float):
        return Derivative(text, rule, frozenset())
    return Derivative(text, rule, frozenset(reads.split()))


def _reader(name: str) -> Callable[..., Any]:
    position = ("out", *PLACEHOLDERS).index(name)
    return lambda xp, *values, **params: values[position]


def _constant(number: float) -> Callable[..., Any]:
    return lambda xp, *values, **params: number


def short(number: float) -> str:
    """A parameter as a label shows it: ``2``, ``0.1``."""
    return f"{number:g}"


@dataclass(frozen=True)
class Op:
    """One operation: its mathematics, how it is written and called, and where it is delicate."""

    name: str
    symbol: str
    """What a node shows, with parameters in braces: ``×``, ``LReLU({slope})``."""
    forward: Callable[..., Any]
    derivatives: tuple[Derivative, ...]
    sympy: Callable[..., Any]
    doc: str
    """One sentence for the generated methods' docstrings."""
    params: dict[str, float] = field(default_factory=dict)
    """Parameters and their defaults, in the order methods and formulas take them."""
    check: Callable[..., str] | None = None
    """Why values of the parameters are refused: ``check(**params)`` says so, or returns ``""``."""
    formula: str = ""
    """The op written on its inputs, readable: ``{a}/{b}``, ``−{a}``; by default ``symbol({a})``."""
    precedence: Precedence = Precedence.ATOM
    """How tightly ``formula`` (and the Python operator) binds."""
    python: str = ""
    """The op written on its inputs in Python syntax when it is an operator: ``{a} + {b}``, ``-{a}``."""
    latex: str = ""
    """The node's label in LaTeX math mode, with parameters in braces; by default the symbol upright."""
    tex: str = ""
    """The op written on its inputs in LaTeX (``\\frac{{{a}}}{{{b}}}``); by default its label applied: ``\\ln\\left({a}\\right)``."""
    commands: tuple[str, ...] = ()
    """LaTeX commands the formula reader takes for this op (``ln`` for ``\\ln``)."""
    aliases: tuple[str, ...] = ()
    """Other names for the op in formulas (``swish``, and what slides write: ``lrelu``)."""
    methods: tuple[str, ...] | None = None
    """``Value`` methods generated for the op; by default its name; ``()`` for none."""
    functions: tuple[str, ...] | None = None
    """``Tensor`` methods and ``graphlab.tensor`` functions; by default the same as ``methods``."""
    dunders: tuple[str, ...] = ()
    """Python's special methods for the op (``__add__``, ``__radd__``); an ``__r…__`` one takes the operands swapped."""
    variant_of: tuple[str, str, str] | None = None
    """``(op, keyword, value)``: the op's method called with ``keyword=value`` is this op (GELU's tanh form)."""
    dtypes: DtypeClass = DtypeClass.FLOAT
    refuses_bool: str = ""
    """Why PyTorch refuses a bool operand, when it does."""
    domain: str = ""
    """What is wrong when the forward value is undefined: ``log of a non-positive number``."""
    edges: tuple[Edge, ...] = ()
    rules: tuple[Callable[..., Any], ...] = field(init=False, repr=False, compare=False)
    """Each input's local derivative as a function ``(xp, out, a[, b], **params)``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", tuple(derivative.fn for derivative in self.derivatives))
        if self.methods is None:
            object.__setattr__(self, "methods", (self.name,))
        if self.functions is None:
            object.__setattr__(self, "functions", self.methods)
        if not self.formula:
            arguments = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS[:self.arity])
            object.__setattr__(self, "formula", f"{self.symbol}({arguments})")
        if not self.latex:
            object.__setattr__(self, "latex", "\\mathrm{{" + self.symbol + "}}")  # braces kept through format
        if not self.tex:  # the label called on the inputs, then the parameters: \mathrm{LReLU}\left(x, 0.1\right)
            name = re.sub(r"\(\{\w+\}(, \{\w+\})*\)", "", self.latex)
            arguments = ", ".join([f"{{{p}}}" for p in PLACEHOLDERS[:self.arity]] + [f"{{{k}}}" for k in self.params])
            object.__setattr__(self, "tex", f"{name}\\left({arguments}\\right)")

    @property
    def arity(self) -> int:
        return len(self.derivatives)

    def refusal(self, params: dict[str, float]) -> str:
        """Why ``params`` (all of them, defaults filled in) are refused, or ``""``."""
        return self.check(**params) if self.check else ""

    def label(self, params: dict[str, float] | None = None) -> str:
        """The symbol drawn in a node, with parameters filled in (``^2``, ``LReLU(0.1)``)."""
        return _fill(self.symbol, self.params, params)

    def latex_label(self, params: dict[str, float] | None = None) -> str:
        """The node's label as LaTeX math, parameters filled in (``(\\cdot)^{2}``)."""
        return _fill(self.latex, self.params, params)

    @property
    def operator(self) -> str:
        """The Python operator the op is written with (``+``, ``**``, unary ``-``), or ``""``."""
        return re.sub(r"\{\w+\}", "", self.python).strip()

    def write(self, operands: Sequence[tuple[str, int]], params: dict[str, float] | None = None, *,
              form: Form = Form.READABLE, number: Callable[[float], str] = short) -> tuple[str, Precedence]:
        """The op written on ``operands`` (each a text and how tightly it binds) and how tightly the result binds.

        An operand gets parentheses where its precedence is too low for its place:
        the left operand of ``+``, ``−``, ``·``, ``/`` may bind as loosely as the op
        (``a − b − c``), any other operand outside brackets must bind more tightly
        (``a − (b − c)``, ``(a + b)²``, ``−(a·b)``), and a signed operand after
        anything (``a·(−b)``) is always enclosed. ``form`` picks the notation:
        the readable formula, Python (the operator, or a call by name with its
        parameters) or LaTeX; ``number`` writes the parameters.
        """
        merged = {**self.params, **(params or {})}
        template = {Form.READABLE: self.formula, Form.PYTHON: self.python, Form.LATEX: self.tex}[form]
        if form is Form.PYTHON and not template:
            arguments = [text for text, _ in operands] + [number(v) for v in merged.values()]
            return f"{self.name}({', '.join(arguments)})", Precedence.ATOM
        texts = {}
        for placeholder, (text, strength) in zip(PLACEHOLDERS, operands):
            texts[placeholder] = text if strength >= self._needs(template, placeholder, strength) else f"({text})"
        return template.format(**texts, **{k: number(v) for k, v in merged.items()}), self.precedence

    def _needs(self, template: str, placeholder: str, strength: int) -> int:
        """How tightly an operand must bind at ``placeholder``'s place in ``template`` to go unbracketed."""
        field = "{" + placeholder + "}"
        start = template.index(field)
        first, last = start == 0, start + len(field) == len(template)
        if not first and not last:
            return 0  # inside brackets or bars: f(a, b), |a|
        if first:
            chains = self.arity == 2 and self.precedence <= Precedence.PRODUCT  # a − b − c is (a − b) − c
            return self.precedence if chains else self.precedence + 1
        return Precedence.ATOM if strength == Precedence.PREFIX else self.precedence + 1


def _fill(template: str, defaults: dict[str, float], params: dict[str, float] | None) -> str:
    merged = {**defaults, **(params or {})}
    return template.format(**{k: short(v) for k, v in merged.items()})


def _sigmoid(xp, a):
    # 0.5·(1 + tanh(a/2)) equals 1/(1 + e^-a) and never overflows.
    return 0.5 * (1.0 + xp.tanh(0.5 * a))


def _elu(xp, a, alpha):
    return xp.where(a > 0, a, alpha * xp.expm1(xp.minimum(a, 0.0)))


def _softplus(xp, a):
    return xp.maximum(a, 0.0) + xp.log1p(xp.exp(-xp.abs(a)))


def _gelu_tanh_inner(xp, a):
    return xp.sqrt(2.0 / xp.pi) * (a + GELU_TANH_C * a * a * a)


def _tie_share(xp, a, b):
    """Gradient share of ``a`` in max(a, b): 1 if it wins, 0.5 on a tie, 0 if it loses."""
    return xp.where(a > b, 1.0, xp.where(a == b, 0.5, 0.0))


_SUM, _PRODUCT, _PREFIX, _POWER = Precedence.SUM, Precedence.PRODUCT, Precedence.PREFIX, Precedence.POWER
_INTEGER = DtypeClass.INTEGER


def _first(a, *others, **params):
    return a


_KINK_AT_ZERO = Edge(EdgeKind.KINK, _first, "{op} at its kink")
_EQUAL_ARGUMENTS = Edge(EdgeKind.KINK, lambda a, b: a - b, "{op} of two (nearly) equal numbers")
_POSITIVE_ARGUMENT = Edge(EdgeKind.POSITIVE, _first, "{op} of a number near or below 0")
_DIVISION = "division by zero"


def _entries() -> list[Op]:
    return [
        Op("add", "+", lambda xp, a, b: a + b,
           (d("1", 1.0), d("1", 1.0)),
           lambda sp, a, b: a + b, "a + b.",
           formula="{a} + {b}", precedence=_SUM, python="{a} + {b}", latex="+", tex="{a} + {b}",
           methods=(), dunders=("__add__", "__radd__"), dtypes=_INTEGER),
        Op("sub", "−", lambda xp, a, b: a - b,
           (d("1", 1.0), d("−1", -1.0)),
           lambda sp, a, b: a - b, "a − b.",
           formula="{a} − {b}", precedence=_SUM, python="{a} - {b}", latex="-", tex="{a} - {b}",
           methods=(), dunders=("__sub__", "__rsub__"), dtypes=_INTEGER,
           refuses_bool="subtraction (-) with a bool is not supported, as in PyTorch; "
                        "to invert a mask use ~, to compare two masks use ^"),
        Op("mul", "×", lambda xp, a, b: a * b,
           (d("b", "b"), d("a", "a")),
           lambda sp, a, b: a * b, "a · b.",
           formula="{a}·{b}", precedence=_PRODUCT, python="{a}*{b}", latex="\\times",
           tex="{a} \\cdot {b}",
           methods=(), dunders=("__mul__", "__rmul__"), dtypes=_INTEGER),
        Op("div", "÷", lambda xp, a, b: a / b,
           (d("1/b", lambda xp, out, a, b: 1.0 / b, reads="b"),
            d("−a/b²", lambda xp, out, a, b: -a / (b * b), reads="a b")),
           lambda sp, a, b: a / b, "a / b (true division).",
           formula="{a}/{b}", precedence=_PRODUCT, python="{a}/{b}", latex="\\div",
           tex="\\frac{{{a}}}{{{b}}}",
           methods=(), dunders=("__truediv__", "__rtruediv__"), domain=_DIVISION,
           edges=(Edge(EdgeKind.NONZERO, lambda a, b: b, "division by a number near 0"),)),
        Op("neg", "−", lambda xp, a: -a,
           (d("−1", -1.0),),
           lambda sp, a: -a, "−a.",
           formula="−{a}", precedence=_PREFIX, python="-{a}", latex="-", tex="-{a}",
           dunders=("__neg__",), dtypes=_INTEGER,
           refuses_bool="negation (-) of a bool tensor is not supported, as in PyTorch; to invert a mask use ~"),
        Op("pow", "^{p}", lambda xp, a, p: xp.pow(a, p),
           (d("p·a^(p−1)", lambda xp, out, a, p: 0.0 if p == 0 else p * xp.pow(a, p - 1.0), reads="a"),),
           lambda sp, a, p: a ** p, "a to the power p, a number.",
           params={"p": 2.0}, formula="{a}^{p}", precedence=_POWER, python="{a}**{p}",
           latex="(\\cdot)^{{{p}}}", tex="{a}^{{{p}}}", dunders=("__pow__",),
           domain="a power of a negative base with a fractional exponent, or of zero with a negative one",
           edges=(Edge(EdgeKind.POSITIVE, lambda a, p: a if p != int(p) else None, "a power of a number near 0 or below"),
                  Edge(EdgeKind.NONZERO, lambda a, p: a if p < 0 else None, "a power of a number near 0 or below"))),
        Op("pow_var", "^", lambda xp, a, b: xp.pow(a, b),
           (d("b·a^(b−1)", lambda xp, out, a, b: b * xp.pow(a, b - 1.0), reads="a b"),
            d("a^b·ln a", lambda xp, out, a, b: out * xp.log(xp.where(a == 0, 1.0, a)), reads="out a")),
           lambda sp, a, b: a ** b, "a to the power b, both inputs.",  # 0**b is flat in b
           formula="{a}^{b}", precedence=_POWER, python="{a}**{b}", latex="a^{{b}}",
           tex="{a}^{{{b}}}",
           methods=(), dunders=("__rpow__",), dtypes=_INTEGER,
           domain="a power of a negative base (needs a positive base to differentiate in the exponent)",
           edges=(_POSITIVE_ARGUMENT,)),
        Op("exp", "exp", lambda xp, a: xp.exp(a),
           (d("e^a", "out"),),
           lambda sp, a: sp.exp(a), "The exponential e^a.",
           latex="\\exp", tex="e^{{{a}}}", commands=("exp",)),
        Op("log", "ln", lambda xp, a: xp.log(a),
           (d("1/a", lambda xp, out, a: 1.0 / a, reads="a"),),
           lambda sp, a: sp.log(a), "The natural logarithm ln a.",
           latex="\\ln", commands=("ln", "log"), aliases=("ln",),
           domain="log of a non-positive number", edges=(_POSITIVE_ARGUMENT,)),
        Op("sqrt", "√", lambda xp, a: xp.sqrt(a),
           (d("1/(2√a)", lambda xp, out, a: 0.5 / out, reads="out"),),
           lambda sp, a: sp.sqrt(a), "The square root √a.",
           formula="√{a}", precedence=_POWER, latex="\\sqrt{{\\cdot}}", tex="\\sqrt{{{a}}}", commands=("sqrt",),
           domain="square root of a negative number", edges=(_POSITIVE_ARGUMENT,)),
        Op("abs", "|·|", lambda xp, a: xp.abs(a),
           (d("sign(a)", lambda xp, out, a: xp.sign(a), reads="a"),),
           lambda sp, a: sp.Abs(a), "The absolute value |a|.",
           formula="|{a}|", latex="|\\cdot|", tex="\\left|{a}\\right|", dunders=("__abs__",), dtypes=_INTEGER,
           refuses_bool="abs() of a bool tensor is not supported, as in PyTorch; convert it first with .to('int64')",
           edges=(_KINK_AT_ZERO,)),
        Op("square", "x²", lambda xp, a: a * a,
           (d("2a", lambda xp, out, a: 2.0 * a, reads="a"),),
           lambda sp, a: a ** 2, "The square a².",
           formula="{a}²", precedence=_POWER, latex="(\\cdot)^2", tex="{a}^{{2}}", dtypes=_INTEGER),
        Op("reciprocal", "1/x", lambda xp, a: 1.0 / a,
           (d("−1/a²", lambda xp, out, a: -1.0 / (a * a), reads="a"),),
           lambda sp, a: 1 / a, "The reciprocal 1/a.",
           formula="1/{a}", precedence=_PRODUCT, latex="1/x", tex="\\frac{{1}}{{{a}}}", aliases=("recip",), domain=_DIVISION,
           edges=(Edge(EdgeKind.NONZERO, _first, "division by a number near 0"),)),
        Op("sin", "sin", lambda xp, a: xp.sin(a),
           (d("cos a", lambda xp, out, a: xp.cos(a), reads="a"),),
           lambda sp, a: sp.sin(a), "The sine of a (radians).",
           latex="\\sin", commands=("sin",)),
        Op("cos", "cos", lambda xp, a: xp.cos(a),
           (d("−sin a", lambda xp, out, a: -xp.sin(a), reads="a"),),
           lambda sp, a: sp.cos(a), "The cosine of a (radians).",
           latex="\\cos", commands=("cos",)),
        Op("max", "max", lambda xp, a, b: xp.maximum(a, b),
           (d("[a > b] (½ on a tie)", lambda xp, out, a, b: _tie_share(xp, a, b), reads="a b"),
            d("[b > a] (½ on a tie)", lambda xp, out, a, b: _tie_share(xp, b, a), reads="a b")),
           lambda sp, a, b: sp.Max(a, b), "The larger of a and b; a tie sends half the gradient to each.",
           latex="\\max", commands=("max",), functions=("maximum",), dtypes=_INTEGER,
           edges=(_EQUAL_ARGUMENTS,)),
        Op("min", "min", lambda xp, a, b: xp.minimum(a, b),
           (d("[a < b] (½ on a tie)", lambda xp, out, a, b: _tie_share(xp, b, a), reads="a b"),
            d("[b < a] (½ on a tie)", lambda xp, out, a, b: _tie_share(xp, a, b), reads="a b")),
           lambda sp, a, b: sp.Min(a, b), "The smaller of a and b; a tie sends half the gradient to each.",
           latex="\\min", commands=("min",), functions=("minimum",), dtypes=_INTEGER,
           edges=(_EQUAL_ARGUMENTS,)),
        Op("sigmoid", "σ", _sigmoid,
           (d("σ(a)·(1 − σ(a))", lambda xp, out, a: out * (1.0 - out), reads="out"),),
           lambda sp, a: 1 / (1 + sp.exp(-a)), "The logistic sigmoid σ(a) = 1/(1 + e^−a).",
           latex="\\sigma", commands=("sigma",)),
        Op("tanh", "tanh", lambda xp, a: xp.tanh(a),
           (d("1 − tanh²a", lambda xp, out, a: 1.0 - out * out, reads="out"),),
           lambda sp, a: sp.tanh(a), "The hyperbolic tangent of a.",
           latex="\\tanh", commands=("tanh",)),
        Op("relu", "ReLU", lambda xp, a: xp.maximum(a, 0.0),
           (d("[a > 0]", lambda xp, out, a: xp.where(a > 0, 1.0, 0.0), reads="a"),),
           lambda sp, a: sp.Max(a, 0), "ReLU: max(a, 0).",
           dtypes=_INTEGER, edges=(_KINK_AT_ZERO,)),
        Op("leaky_relu", "LReLU({slope})",
           lambda xp, a, slope: xp.where(a > 0, a, slope * a),
           (d("1 if a > 0 else slope", lambda xp, out, a, slope: xp.where(a > 0, 1.0, slope), reads="a"),),
           lambda sp, a, slope: sp.Piecewise((a, a > 0), (slope * a, True)),
           "Leaky ReLU: a where a > 0, else slope·a.",
           params={"slope": 0.01}, aliases=("lrelu", "leakyrelu"), edges=(_KINK_AT_ZERO,)),
        Op("elu", "ELU", _elu,
           (d("1 if a > 0 else ELU(a) + α", lambda xp, out, a, alpha: xp.where(a > 0, 1.0, out + alpha),
              reads="out a"),),
           lambda sp, a, alpha: sp.Piecewise((a, a > 0), (alpha * (sp.exp(a) - 1), True)),
           "ELU: a where a > 0, else α·(e^a − 1).",
           params={"alpha": 1.0}, edges=(_KINK_AT_ZERO,)),
        Op("selu", "SELU", lambda xp, a: SELU_SCALE * _elu(xp, a, SELU_ALPHA),
           (d("λ if a > 0 else SELU(a) + λα",
              lambda xp, out, a: xp.where(a > 0, SELU_SCALE, out + SELU_SCALE * SELU_ALPHA), reads="out a"),),
           lambda sp, a: SELU_SCALE * sp.Piecewise((a, a > 0), (SELU_ALPHA * (sp.exp(a) - 1), True)),
           "SELU: λ·ELU(a) with the self-normalising λ and α.",
           edges=(_KINK_AT_ZERO,)),
        Op("softplus", "softplus", _softplus,
           (d("σ(a)", lambda xp, out, a: _sigmoid(xp, a), reads="a"),),
           lambda sp, a: sp.log(1 + sp.exp(a)), "Softplus: ln(1 + e^a), a smooth ReLU."),
        Op("silu", "SiLU", lambda xp, a, beta: a * _sigmoid(xp, beta * a),
           (d("σ(βa)·(1 + βa·(1 − σ(βa)))",
              lambda xp, out, a, beta: _sigmoid(xp, beta * a) * (1.0 + beta * a * (1.0 - _sigmoid(xp, beta * a))),
              reads="a"),),
           lambda sp, a, beta: a / (1 + sp.exp(-beta * a)), "SiLU (Swish): a·σ(βa).",
           params={"beta": 1.0}, aliases=("swish",), methods=("silu", "swish")),
        Op("gelu", "GELU",
           lambda xp, a: 0.5 * a * (1.0 + xp.erf(a / xp.sqrt(2.0))),
           (d("Φ(a) + a·φ(a)", lambda xp, out, a: 0.5 * (1.0 + xp.erf(a / xp.sqrt(2.0)))
              + a * xp.exp(-0.5 * a * a) / xp.sqrt(2.0 * xp.pi), reads="a"),),
           lambda sp, a: a / 2 * (1 + sp.erf(a / sp.sqrt(2))),
           "GELU: a·Φ(a), Φ the standard normal CDF; approximate='tanh' gives PyTorch's tanh form."),
        Op("gelu_tanh", "GELUₜ",
           lambda xp, a: 0.5 * a * (1.0 + xp.tanh(_gelu_tanh_inner(xp, a))),
           (d("½(1 + t) + ½a(1 − t²)·√(2/π)(1 + 3·0.044715a²), t = tanh(√(2/π)(a + 0.044715a³))",
              lambda xp, out, a: 0.5 * (1.0 + xp.tanh(_gelu_tanh_inner(xp, a)))
              + 0.5 * a * (1.0 - xp.tanh(_gelu_tanh_inner(xp, a)) ** 2)
              * xp.sqrt(2.0 / xp.pi) * (1.0 + 3.0 * GELU_TANH_C * a * a), reads="a"),),
           lambda sp, a: a / 2 * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (a + sp.Rational(44715, 10 ** 6) * a ** 3))),
           "GELU in PyTorch's tanh approximation.",
           latex="\\mathrm{{GELU}}_t", aliases=("gelutanh",), methods=(), variant_of=("gelu", "approximate", "tanh")),
        Op("hardtanh", "Hardtanh({min_val}, {max_val})",
           lambda xp, a, min_val, max_val: xp.minimum(xp.maximum(a, min_val), max_val),
           (d("[min_val < a < max_val]",
              lambda xp, out, a, min_val, max_val: xp.where((a > min_val) & (a < max_val), 1.0, 0.0), reads="a"),),
           lambda sp, a, min_val, max_val: sp.Piecewise((min_val, a <= min_val), (max_val, a >= max_val), (a, True)),
           "Hard tanh: a clipped to [min_val, max_val]; no gradient outside, nor on the bounds (as PyTorch).",
           params={"min_val": -1.0, "max_val": 1.0},
           check=lambda min_val, max_val: "min_val cannot be greater than max_val" if min_val > max_val else "",
           dtypes=_INTEGER,
           edges=(Edge(EdgeKind.KINK, lambda a, min_val, max_val: a - min_val, "{op} at its lower bound"),
                  Edge(EdgeKind.KINK, lambda a, min_val, max_val: a - max_val, "{op} at its upper bound"))),
    ]


OPS: dict[str, Op] = {op.name: op for op in _entries()}
"""Every op by name; the only place an operation is declared."""

ALIASES: dict[str, str] = {alias: op.name for op in OPS.values() for alias in op.aliases}
"""Other names users write for an op, and the op each stands for."""


def lookup(name: str) -> Op:
    """The op called ``name`` (or one of its aliases)."""
    return OPS[ALIASES.get(name, name)]
