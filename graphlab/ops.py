"""The table of operations: every op graphlab knows, declared once.

Each entry is a row of the lecture's "local gradient" table: the op's name, the
symbol drawn in its node, its forward function, one local derivative per input,
the same derivatives as formulas a student reads, and the op's SymPy form.

Functions are written against an array namespace ``xp`` (``scalar_math`` for the
scalar engine, NumPy or CuPy for tensors) and take the inputs' forward values.
A local derivative also receives the op's output ``out``, so rules such as
"the derivative of exp is its output" use the (possibly rounded) output exactly
as the lecture does. SymPy is imported by the caller and passed in as ``sp``;
importing this table never imports SymPy.

Conventions at kinks follow PyTorch: relu'(0) = 0, |x|'(0) = 0, and max/min
split the gradient evenly between tied inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
GELU_TANH_C = 0.044715


@dataclass(frozen=True)
class Op:
    """One operation: forward, local derivatives and their readable formulas."""

    name: str
    symbol: str
    forward: Callable[..., Any]
    derivatives: tuple[Callable[..., Any], ...]
    derivative_text: tuple[str, ...]
    sympy: Callable[..., Any]
    params: dict[str, float] = field(default_factory=dict)
    domain: str = "the input is outside the function's domain"

    @property
    def arity(self) -> int:
        return len(self.derivatives)

    def label(self, params: dict[str, float] | None = None) -> str:
        """The symbol drawn in a node, with parameters filled in (``^2``, ``LReLU(0.1)``)."""
        merged = {**self.params, **(params or {})}
        return self.symbol.format(**{k: _short(v) for k, v in merged.items()})


def _short(number: float) -> str:
    return f"{number:g}"


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


def _entries() -> list[Op]:
    return [
        Op("add", "+", lambda xp, a, b: a + b,
           (lambda xp, out, a, b: 1.0, lambda xp, out, a, b: 1.0),
           ("1", "1"), lambda sp, a, b: a + b),
        Op("sub", "−", lambda xp, a, b: a - b,
           (lambda xp, out, a, b: 1.0, lambda xp, out, a, b: -1.0),
           ("1", "−1"), lambda sp, a, b: a - b),
        Op("mul", "×", lambda xp, a, b: a * b,
           (lambda xp, out, a, b: b, lambda xp, out, a, b: a),
           ("b", "a"), lambda sp, a, b: a * b),
        Op("div", "÷", lambda xp, a, b: a / b,
           (lambda xp, out, a, b: 1.0 / b, lambda xp, out, a, b: -a / (b * b)),
           ("1/b", "−a/b²"), lambda sp, a, b: a / b, domain="division by zero"),
        Op("neg", "−", lambda xp, a: -a,
           (lambda xp, out, a: -1.0,),
           ("−1",), lambda sp, a: -a),
        Op("pow", "^{p}", lambda xp, a, p: xp.pow(a, p),
           (lambda xp, out, a, p: 0.0 if p == 0 else p * xp.pow(a, p - 1.0),),  # x**0 is flat, also at 0
           ("p·a^(p−1)",), lambda sp, a, p: a ** p, params={"p": 2.0},
           domain="a power of a negative base with a fractional exponent, or of zero with a negative one"),
        Op("pow_var", "^", lambda xp, a, b: xp.pow(a, b),
           (lambda xp, out, a, b: b * xp.pow(a, b - 1.0),
            lambda xp, out, a, b: out * xp.log(xp.where(a == 0, 1.0, a))),  # 0**b is flat in b
           ("b·a^(b−1)", "a^b·ln a"), lambda sp, a, b: a ** b,
           domain="a power of a negative base (needs a positive base to differentiate in the exponent)"),
        Op("exp", "exp", lambda xp, a: xp.exp(a),
           (lambda xp, out, a: out,),
           ("e^a",), lambda sp, a: sp.exp(a)),
        Op("log", "ln", lambda xp, a: xp.log(a),
           (lambda xp, out, a: 1.0 / a,),
           ("1/a",), lambda sp, a: sp.log(a), domain="log of a non-positive number"),
        Op("sqrt", "√", lambda xp, a: xp.sqrt(a),
           (lambda xp, out, a: 0.5 / out,),
           ("1/(2√a)",), lambda sp, a: sp.sqrt(a), domain="square root of a negative number"),
        Op("abs", "|·|", lambda xp, a: xp.abs(a),
           (lambda xp, out, a: xp.sign(a),),
           ("sign(a)",), lambda sp, a: sp.Abs(a)),
        Op("square", "x²", lambda xp, a: a * a,
           (lambda xp, out, a: 2.0 * a,),
           ("2a",), lambda sp, a: a ** 2),
        Op("reciprocal", "1/x", lambda xp, a: 1.0 / a,
           (lambda xp, out, a: -1.0 / (a * a),),
           ("−1/a²",), lambda sp, a: 1 / a, domain="division by zero"),
        Op("sin", "sin", lambda xp, a: xp.sin(a),
           (lambda xp, out, a: xp.cos(a),),
           ("cos a",), lambda sp, a: sp.sin(a)),
        Op("cos", "cos", lambda xp, a: xp.cos(a),
           (lambda xp, out, a: -xp.sin(a),),
           ("−sin a",), lambda sp, a: sp.cos(a)),
        Op("max", "max", lambda xp, a, b: xp.maximum(a, b),
           (lambda xp, out, a, b: _tie_share(xp, a, b),
            lambda xp, out, a, b: _tie_share(xp, b, a)),
           ("[a > b] (½ on a tie)", "[b > a] (½ on a tie)"), lambda sp, a, b: sp.Max(a, b)),
        Op("min", "min", lambda xp, a, b: xp.minimum(a, b),
           (lambda xp, out, a, b: _tie_share(xp, b, a),
            lambda xp, out, a, b: _tie_share(xp, a, b)),
           ("[a < b] (½ on a tie)", "[b < a] (½ on a tie)"), lambda sp, a, b: sp.Min(a, b)),
        Op("sigmoid", "σ", _sigmoid,
           (lambda xp, out, a: out * (1.0 - out),),
           ("σ(a)·(1 − σ(a))",), lambda sp, a: 1 / (1 + sp.exp(-a))),
        Op("tanh", "tanh", lambda xp, a: xp.tanh(a),
           (lambda xp, out, a: 1.0 - out * out,),
           ("1 − tanh²a",), lambda sp, a: sp.tanh(a)),
        Op("relu", "ReLU", lambda xp, a: xp.maximum(a, 0.0),
           (lambda xp, out, a: xp.where(a > 0, 1.0, 0.0),),
           ("[a > 0]",), lambda sp, a: sp.Max(a, 0)),
        Op("leaky_relu", "LReLU({slope})",
           lambda xp, a, slope: xp.where(a > 0, a, slope * a),
           (lambda xp, out, a, slope: xp.where(a > 0, 1.0, slope),),
           ("1 if a > 0 else slope",),
           lambda sp, a, slope: sp.Piecewise((a, a > 0), (slope * a, True)),
           params={"slope": 0.01}),
        Op("elu", "ELU", _elu,
           (lambda xp, out, a, alpha: xp.where(a > 0, 1.0, out + alpha),),
           ("1 if a > 0 else ELU(a) + α",),
           lambda sp, a, alpha: sp.Piecewise((a, a > 0), (alpha * (sp.exp(a) - 1), True)),
           params={"alpha": 1.0}),
        Op("selu", "SELU", lambda xp, a: SELU_SCALE * _elu(xp, a, SELU_ALPHA),
           (lambda xp, out, a: xp.where(a > 0, SELU_SCALE, out + SELU_SCALE * SELU_ALPHA),),
           ("λ if a > 0 else SELU(a) + λα",),
           lambda sp, a: SELU_SCALE * sp.Piecewise((a, a > 0), (SELU_ALPHA * (sp.exp(a) - 1), True))),
        Op("softplus", "softplus", _softplus,
           (lambda xp, out, a: _sigmoid(xp, a),),
           ("σ(a)",), lambda sp, a: sp.log(1 + sp.exp(a))),
        Op("silu", "SiLU", lambda xp, a, beta: a * _sigmoid(xp, beta * a),
           (lambda xp, out, a, beta: _sigmoid(xp, beta * a) * (1.0 + beta * a * (1.0 - _sigmoid(xp, beta * a))),),
           ("σ(βa)·(1 + βa·(1 − σ(βa)))",),
           lambda sp, a, beta: a / (1 + sp.exp(-beta * a)), params={"beta": 1.0}),
        Op("gelu", "GELU",
           lambda xp, a: 0.5 * a * (1.0 + xp.erf(a / xp.sqrt(2.0))),
           (lambda xp, out, a: 0.5 * (1.0 + xp.erf(a / xp.sqrt(2.0)))
            + a * xp.exp(-0.5 * a * a) / xp.sqrt(2.0 * xp.pi),),
           ("Φ(a) + a·φ(a)",), lambda sp, a: a / 2 * (1 + sp.erf(a / sp.sqrt(2)))),
        Op("gelu_tanh", "GELUₜ",
           lambda xp, a: 0.5 * a * (1.0 + xp.tanh(_gelu_tanh_inner(xp, a))),
           (lambda xp, out, a: 0.5 * (1.0 + xp.tanh(_gelu_tanh_inner(xp, a)))
            + 0.5 * a * (1.0 - xp.tanh(_gelu_tanh_inner(xp, a)) ** 2)
            * xp.sqrt(2.0 / xp.pi) * (1.0 + 3.0 * GELU_TANH_C * a * a),),
           ("½(1 + t) + ½a(1 − t²)·√(2/π)(1 + 3·0.044715a²), t = tanh(√(2/π)(a + 0.044715a³))",),
           lambda sp, a: a / 2 * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (a + sp.Rational(44715, 10 ** 6) * a ** 3)))),
    ]


OPS: dict[str, Op] = {op.name: op for op in _entries()}
"""Every op by name; the only place an operation is declared."""

ALIASES: dict[str, str] = {"swish": "silu", "ln": "log", "recip": "reciprocal"}
"""Other names users write for the same op."""


def lookup(name: str) -> Op:
    """The op called ``name`` (or one of its aliases)."""
    return OPS[ALIASES.get(name, name)]
