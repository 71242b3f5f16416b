"""Expression tree → graph of ``Value`` nodes, one node per operation as written."""

from __future__ import annotations

import difflib
from typing import Mapping

from graphlab.formula.errors import FormulaError
from graphlab.formula.expr import Expr, Name, Num, names, to_text
from graphlab.value import Value


def check_inputs(expr: Expr, values: Mapping[str, float]) -> None:
    """Every input of ``expr`` has a value and every value names an input."""
    wanted = names(expr)
    missing = [n for n in wanted if n not in values]
    extra = [n for n in values if n not in wanted]
    problems = []
    if missing:
        problems.append(f"no value given for {', '.join(missing)} (give one with --at NAME=VALUE)")
    for name in extra:
        near = difflib.get_close_matches(name, wanted, n=1)
        hint = f"; did you mean {near[0]}?" if near else ""
        problems.append(f"{name} is not an input of the formula{hint}")
    if problems:
        inputs = ", ".join(wanted) or "none"
        raise FormulaError("; ".join(problems) + f". The formula's inputs are: {inputs}.")


def build(expr: Expr, values: Mapping[str, float]) -> Value:
    """The ``Value`` graph of ``expr`` at ``values``, built under the active rounding policy.

    Each input name is one shared leaf (created in the order ``values`` lists them,
    so tables follow the exercise's or the command line's order),
    each literal its own constant, and each op node is labelled with the text of
    its sub-formula. Iterative, so deeply nested formulas cannot overflow.
    """
    check_inputs(expr, values)
    leaves = {name: Value(value, name) for name, value in values.items()}
    built: dict[int, Value] = {}
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if isinstance(node, Name):
            built[id(node)] = leaves[node.name]
        elif isinstance(node, Num):
            built[id(node)] = Value(node.value, node.text, kind="const")
        elif not ready:
            stack.append((node, True))
            stack.extend((arg, False) for arg in reversed(node.args))
        else:
            args = [built[id(arg)] for arg in node.args]
            built[id(node)] = Value.apply(node.op, *args, label=to_text(node), **dict(node.params))
    return built[id(expr)]


__all__ = ["build", "check_inputs"]
