"""Expression tree → graph of ``Value`` nodes, one node per operation as written."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping

from graphlab.formula.errors import FormulaError
from graphlab.formula.expr import Expr, Name, Num, names, to_text
from graphlab.trace import NodeKind
from graphlab.value import Value

LOOK_ALIKES = str.maketrans("авекмнорстухАВЕКМНОРСТУХіјѕԁɡαβεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΥΧ",
                            "abekmhopctyxABEKMHOPCTYXijsdgabeiknoptuxABEHIKMNOPTYX")
"""Cyrillic and Greek letters that look like Latin ones, and the Latin letter each is mistaken for."""


def look_alike_hint(name: str, other: str) -> str | None:
    """Why ``name`` and ``other`` look the same but differ (a Cyrillic х for a Latin x), if that is why."""
    if name == other or name.translate(LOOK_ALIKES) != other.translate(LOOK_ALIKES):
        return None
    foreign = next((a for a, b in zip(name + other, other + name) if a != b and not a.isascii()), None)
    if foreign is None:
        return None
    letter = unicodedata.name(foreign, "a non-Latin letter").split(" LETTER ")[0].split()[0].title()
    return (f"{other} and {name} look alike, but one has the {letter} letter {foreign!r} "
            f"(U+{ord(foreign):04X}) where the other has a Latin one; retype it")


def check_inputs(expr: Expr, values: Mapping[str, float]) -> None:
    """Every input of ``expr`` has a value and every value names an input."""
    wanted = names(expr)
    missing = [n for n in wanted if n not in values]
    extra = [n for n in values if n not in wanted]
    problems = []
    if missing:
        problems.append(f"no value given for {', '.join(missing)} (give one with --at NAME=VALUE)")
    for name in extra:
        alike = next((hint for other in wanted if (hint := look_alike_hint(name, other))), None)
        near = difflib.get_close_matches(name, wanted, n=1)
        hint = f" ({alike})" if alike else f"; did you mean {near[0]}?" if near else ""
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
            built[id(node)] = Value(node.value, node.text, kind=NodeKind.CONST)
        elif not ready:
            stack.append((node, True))
            stack.extend((arg, False) for arg in reversed(node.args))
        else:
            args = [built[id(arg)] for arg in node.args]
            built[id(node)] = Value.apply(node.op, *args, label=to_text(node), **dict(node.params))
    return built[id(expr)]


__all__ = ["build", "check_inputs"]
