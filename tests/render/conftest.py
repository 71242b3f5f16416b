"""The lecture's exercise (Вариант 2) as traces, built with the scalar engine directly."""

from __future__ import annotations

import pytest

from graphlab import Trace, Value, round_to

FORMULA = "x0 / exp(-(x0*y0 + x1*y1))"


def lecture_trace(decimals: int | None) -> Trace:
    """f = x0 / exp(-(x0·y0 + x1·y1)) at x0=1, x1=-1, y0=1, y1=-2."""
    with round_to(decimals):
        x0, x1, y0, y1 = Value(1, "x0"), Value(-1, "x1"), Value(1, "y0"), Value(-2, "y1")
        f = x0 / (-(x0 * y0 + x1 * y1)).exp()
    f.backward()
    return f.trace(formula=FORMULA)


def parsed_lecture_trace(decimals: int | None) -> Trace:
    """The same graph labelled as the formula parser labels it: each op with its sub-formula's text."""
    with round_to(decimals):
        x0, y0, x1, y1 = Value(1, "x0"), Value(1, "y0"), Value(-1, "x1"), Value(-2, "y1")
        left = Value.apply("mul", x0, y0, label="x0*y0")
        right = Value.apply("mul", x1, y1, label="x1*y1")
        total = Value.apply("add", left, right, label="x0*y0 + x1*y1")
        negated = Value.apply("neg", total, label="-(x0*y0 + x1*y1)")
        power = Value.apply("exp", negated, label="exp(-(x0*y0 + x1*y1))")
        f = Value.apply("div", x0, power, label="x0/exp(-(x0*y0 + x1*y1))")
    f.backward()
    return f.trace(formula=FORMULA)


@pytest.fixture
def rounded() -> Trace:
    return lecture_trace(2)


@pytest.fixture
def exact() -> Trace:
    return lecture_trace(None)
