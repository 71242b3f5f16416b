"""Formula text + input values + rounding policy → a trace: the whole exercise in one call."""

from __future__ import annotations

from collections.abc import Mapping

from graphlab.formula import Syntax, parse
from graphlab.formula.build import build
from graphlab.formula.expr import canonical_name
from graphlab.rounding import EXACT, RoundingPolicy, round_to
from graphlab.trace import Trace


def solve(formula: str, at: Mapping[str, float], policy: RoundingPolicy = EXACT,
          syntax: Syntax = "auto", gradient: float = 1.0) -> Trace:
    """Parse ``formula``, evaluate it at ``at`` under ``policy``, backpropagate ``gradient``."""
    expr = parse(formula, syntax)
    values = {canonical_name(k): float(v) for k, v in at.items()}
    with round_to(policy):
        output = build(expr, values)
    output.backward(gradient)
    return Trace.from_value(output, formula=formula, gradient=gradient, policy=policy)
