"""The array namespace of the scalar engine: Python floats under NumPy's names.

The operations table is written once against an array namespace ``xp``
(``xp.exp``, ``xp.where`` …). The tensor engine hands it NumPy or CuPy; the
scalar engine hands it this module, so one formula serves both engines and a
scalar op costs a ``math`` call, not a NumPy round trip.
"""

from __future__ import annotations

import math

pi = math.pi
sqrt = math.sqrt
log = math.log
log1p = math.log1p
expm1 = math.expm1
sin = math.sin
cos = math.cos
tanh = math.tanh
erf = math.erf
abs = abs


def exp(x: float) -> float:
    """``math.exp`` that overflows to ``inf`` as NumPy does, so callers can test it."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def pow(x: float, y: float) -> float:
    """Real power; a negative base with a fractional exponent is a domain error."""
    try:
        return math.pow(x, y)
    except OverflowError:
        return math.inf


def sign(x: float) -> float:
    return float((x > 0) - (x < 0))


def where(condition: bool, x: float, y: float) -> float:
    return x if condition else y


def maximum(x: float, y: float) -> float:
    return x if x >= y else y


def minimum(x: float, y: float) -> float:
    return x if x <= y else y
