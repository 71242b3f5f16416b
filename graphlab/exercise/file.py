"""Exercise files: a formula, its inputs, its rounding rule and what to report, in TOML.

An exercise file is written by a lecturer and read by students' tools, so it is
checked field by field and every problem names ``file:line``, the field and
what was expected. The format, with every field::

    id = "variant-2"                  # how `graphlab solve variant-2` finds it
    title = "Вариант 2"

    [statement]                       # either language may be missing
    ru = "... при {inputs}."          # {inputs} becomes "x0 = 1, x1 = −1, …" of the variant
    en = "... at {inputs}."

    [formula]                         # python, latex, or both (then they must agree)
    python = "x0 / exp(-(x0*y0 + x1*y1))"
    latex = '\\frac{x_0}{e^{-(x_0y_0+x_1y_1)}}'

    [inputs]                          # one number per input of the formula
    x0 = 1

    [report]                          # optional
    gradient = 1                      # the initial gradient
    wrt = ["x0"]                      # gradients to report; default: every input
    nodes = false                     # true: every node's value and gradient is asked for

    [rounding]                        # optional; absent means exact
    decimals = 2
    convention = "every_node"         # every_node | local_too | forward_only | final_only
    ties = "away"                     # away | even

    [variants]                        # optional: how `graphlab variants` draws new inputs
    x0 = [-3, 3]                      # whole numbers from -3 to 3
    y0 = [-2.0, 2.0]                  # one decimal: -2.0, -1.9, … 2.0 (a float bound says so)
    avoid_ties = true                 # redraw when a number to round ends exactly on …5

Inputs without a range keep the value given in ``[inputs]``. Whatever the
ranges, a variant is redrawn until every node is defined away from its edge
cases: no log or square root of a number ≤ 0, no division by a number near 0,
no ReLU, |·| or max/min at its kink (see ``graphlab.exercise.variants``).

Unknown tables or fields are errors (a typo must not silently change an exercise).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from graphlab.errors import FileFormatError
from graphlab.formula import FormulaError, canonical_name, names, parse, to_text
from graphlab.loading import load_toml, read_text, to_float
from graphlab.rounding import CONVENTIONS, EXACT, TIES, Convention, RoundingPolicy, Ties
from graphlab.trace import Trace

FIELDS: dict[str, set[str] | None] = {
    "id": None, "title": None,
    "statement": {"ru", "en"},
    "formula": {"python", "latex"},
    "inputs": set(),  # any names
    "report": {"gradient", "wrt", "nodes"},
    "rounding": {"decimals", "convention", "ties"},
    "variants": set(),
}
"""The tables and fields of an exercise file: a set names a table's fields, an empty set any names, None a value."""

MAX_BOUND = 1e6
"""Largest magnitude of a ``[variants]`` range's bound (variants are numbers to work by hand)."""
MAX_STEPS = 10**7
"""Most values one ``[variants]`` range may hold."""


class ExerciseError(FileFormatError):
    """An exercise file that cannot be used: ``file:line: field: what was expected``."""

    def __init__(self, path: Path | str, line: int | None, field_name: str, problem: str):
        self.field = field_name
        super().__init__(path, field_name, problem, line)


@dataclass(frozen=True)
class InputRange:
    """Where a variant draws one input from: ``low`` … ``high`` in steps of 10^-decimals."""

    low: float
    high: float
    decimals: int  # 0: whole numbers, 1: one decimal

    @property
    def steps(self) -> int:
        return round((self.high - self.low) * 10 ** self.decimals)

    @property
    def count(self) -> int:
        """How many values the range holds."""
        return self.steps + 1

    def value(self, index: int) -> float:
        """The ``index``-th value from ``low`` (0 … ``count`` − 1), exact in decimal: 0.1 steps stay 0.1."""
        return float(Decimal(repr(self.low)) + Decimal(index).scaleb(-self.decimals))


@dataclass(frozen=True)
class VariantRules:
    """The exercise's ``[variants]`` table: input ranges and whether to avoid rounding ties."""

    ranges: dict[str, InputRange] = field(default_factory=dict)
    avoid_ties: bool = False


@dataclass(frozen=True)
class Exercise:
    """One exercise: everything needed to solve it and to say what is asked."""

    id: str
    title: str
    formula: str
    inputs: dict[str, float]
    policy: RoundingPolicy = EXACT
    wrt: tuple[str, ...] = ()
    gradient: float = 1.0
    report_nodes: bool = False
    statement: dict[str, str] = field(default_factory=dict)
    latex: str | None = None
    variants: VariantRules = field(default_factory=VariantRules)
    path: Path | None = None

    def solve(self, inputs: Mapping[str, float] | None = None,
              policy: RoundingPolicy | None = None) -> Trace:
        """The trace at the exercise's inputs (or ``inputs``) under its rounding (or ``policy``)."""
        from graphlab.solve import solve  # lazy: solving loads the engine; reading and listing exercises do not

        return solve(self.formula, inputs or self.inputs, policy or self.policy, gradient=self.gradient)

    @property
    def heading(self) -> str:
        """The title a diagram of this exercise carries: ``Вариант 2 · f = x0 / exp(…)``."""
        return f"{self.title} · f = {self.formula}"

    def with_inputs(self, inputs: Mapping[str, float]) -> Exercise:
        return replace(self, inputs=dict(inputs))

    def statement_text(self, language: str) -> str | None:
        """The statement in ``language`` ("ru", "en") with ``{inputs}`` filled in, if there is one."""
        text = self.statement.get(language)
        return None if text is None else text.replace("{inputs}", self.inputs_text())

    def inputs_text(self) -> str:
        """The inputs as a student reads them: ``x0 = 1, x1 = −1, y0 = 0.5``."""
        return ", ".join(f"{name} = {format_number(value)}" for name, value in self.inputs.items())


def format_number(x: float) -> str:
    """A given number as written on a worksheet: ``2``, ``−1.5`` (a true minus sign)."""
    text = f"{x:g}" if x != int(x) or abs(x) >= 1e15 else str(int(x))
    return text.replace("-", "−")


def line_of(text: str, table: str | None, key: str | None) -> int | None:
    """The line where ``[table]`` ``key = …`` (or the table header) stands in ``text``."""
    current = None
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
    for number, line in enumerate(text.splitlines(), 1):
        match = header.match(line)
        if match:
            current = match.group(1)
            if key is None and current == table:
                return number
        elif current == table and key is not None and re.match(rf"^\s*\"?{re.escape(key)}\"?\s*=", line):
            return number
    return None


def read(path: Path | str) -> Exercise:
    """Load and check the exercise file at ``path``."""
    path = Path(path)
    return loads(read_text(path, lambda problem: ExerciseError(path, None, "file", problem)), path)


def loads(text: str, path: Path | str = "<exercise>") -> Exercise:
    """Check the TOML ``text`` of an exercise; ``path`` names it in errors."""
    text = text.removeprefix("\ufeff")  # a byte-order mark, as Windows editors write it
    data = load_toml(text, lambda line, problem: ExerciseError(path, line, "TOML", problem))

    def fail(table: str | None, key: str | None, problem: str) -> ExerciseError:
        line = line_of(text, table, key) or (line_of(text, table, None) if table else None)
        name = ".".join(p for p in (table, key) if p)
        return ExerciseError(path, line, name or "file", problem)

    _check_fields(data, fail)
    ident = _text(data, "id", fail, required=True)
    formula_table = data.get("formula")
    if not isinstance(formula_table, dict) or not formula_table:
        raise fail("formula", None, "a [formula] table with `python` or `latex` is required")
    python = _text(formula_table, "python", lambda _t, k, p: fail("formula", k, p))
    latex = _text(formula_table, "latex", lambda _t, k, p: fail("formula", k, p))
    expr = _parsed(python, "python", fail) if python else None
    latex_expr = _parsed(latex, "latex", fail) if latex else None
    if expr and latex_expr and to_text(expr) != to_text(latex_expr):
        raise fail("formula", "latex", f"reads as {to_text(latex_expr)}, but `python` reads as {to_text(expr)}")
    expr = expr or latex_expr
    inputs = _inputs(data.get("inputs", {}), names(expr), fail)
    report = data.get("report", {})
    wrt = report.get("wrt", list(inputs))
    if not (isinstance(wrt, list) and all(isinstance(w, str) for w in wrt)):
        raise fail("report", "wrt", "expected a list of input names, like [\"x0\", \"y0\"]")
    twice = sorted({w for w in wrt if wrt.count(w) > 1})
    if twice:
        raise fail("report", "wrt", f"{', '.join(twice)} is listed twice")
    unknown = [w for w in wrt if w not in inputs]
    if unknown:
        raise fail("report", "wrt", f"{', '.join(unknown)} is not an input; the inputs are {', '.join(inputs)}")
    return Exercise(
        id=ident,
        title=_text(data, "title", fail) or ident,
        formula=python or to_text(expr),  # LaTeX alone is solved as the same tree in Python form
        inputs=inputs,
        policy=_policy(data.get("rounding"), fail),
        wrt=tuple(wrt),
        gradient=_number(report.get("gradient", 1.0), "report", "gradient", fail),
        report_nodes=_flag(report.get("nodes", False), fail),
        statement={k: _text(data["statement"], k, lambda _t, key, problem: fail("statement", key, problem)).strip()
                   for k in data.get("statement", {})},
        latex=latex,
        variants=_variants(data.get("variants"), inputs, fail),
        path=Path(path) if str(path) != "<exercise>" else None,
    )


def _check_fields(data: dict, fail) -> None:
    for key, value in data.items():
        if key not in FIELDS:
            raise fail(None, key, f"unknown field; the fields are {', '.join(FIELDS)}")
        allowed = FIELDS[key]
        if allowed is None:
            continue
        if not isinstance(value, dict):
            raise fail(None, key, "expected a table, like [" + key + "]")
        extra = [k for k in value if allowed and k not in allowed]
        if extra:
            raise fail(key, extra[0], f"unknown field; [{key}] takes {', '.join(sorted(allowed))}")


def _text(table: dict, key: str, fail, required: bool = False) -> str | None:
    value = table.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise fail(None, key, "expected a non-empty string" if value is not None else "is required")
    return value


def _parsed(formula: str, syntax: str, fail):
    try:
        return parse(formula, syntax)
    except FormulaError as err:
        raise fail("formula", syntax, str(err)) from None


def _number(value: Any, table: str, key: str, fail) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise fail(table, key, f"expected a finite number, got {value!r}")
    try:
        return to_float(value)
    except ValueError as err:
        raise fail(table, key, f"expected a finite number: {err}") from None


def _flag(value: Any, fail) -> bool:
    if not isinstance(value, bool):
        raise fail("report", "nodes", f"expected true or false, got {value!r}")
    return value


def _inputs(table: dict, wanted: list[str], fail) -> dict[str, float]:
    inputs: dict[str, float] = {}
    for key, value in table.items():
        name = canonical_name(key)
        if name in inputs:
            raise fail("inputs", key, f"gives {name} a second value; x_0, x_{{0}} and x0 are one input")
        inputs[name] = _number(value, "inputs", key, fail)
    missing = [n for n in wanted if n not in inputs]
    if missing:
        raise fail("inputs", None, f"no value for {', '.join(missing)}; the formula's inputs are {', '.join(wanted)}")
    extra = [n for n in inputs if n not in wanted]
    if extra:
        raise fail("inputs", extra[0], f"not an input of the formula; its inputs are {', '.join(wanted)}")
    return inputs


def _policy(table: dict | None, fail) -> RoundingPolicy:
    if table is None:
        return EXACT
    decimals = table.get("decimals")
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 12):
        raise fail("rounding", "decimals", f"expected a whole number from 0 to 12, got {decimals!r}")
    convention = table.get("convention", Convention.EVERY_NODE)
    if convention not in CONVENTIONS:
        raise fail("rounding", "convention", f"expected one of {', '.join(CONVENTIONS)}, got {convention!r}")
    ties = table.get("ties", Ties.AWAY)
    if ties not in TIES:
        raise fail("rounding", "ties", f"expected \"away\" or \"even\", got {ties!r}")
    return RoundingPolicy(decimals, convention, ties)


def _variants(table: dict | None, inputs: dict[str, float], fail) -> VariantRules:
    if table is None:
        return VariantRules()
    avoid_ties = table.get("avoid_ties", False)
    if not isinstance(avoid_ties, bool):
        raise fail("variants", "avoid_ties", f"expected true or false, got {avoid_ties!r}")
    ranges = {}
    for key, bounds in table.items():
        if key == "avoid_ties":
            continue
        name = canonical_name(key)
        if name not in inputs:
            raise fail("variants", key, f"not an input of the formula; its inputs are {', '.join(inputs)}")
        if name in ranges:
            raise fail("variants", key, f"gives {name} a second range; x_0, x_{{0}} and x0 are one input")
        if (not isinstance(bounds, list) or len(bounds) != 2
                or any(isinstance(b, bool) or not isinstance(b, (int, Decimal)) for b in bounds)):
            raise fail("variants", key, f"expected a range [low, high] like [-3, 3] or [-2.0, 2.0], got {_shown(bounds)}")
        low, high = (Decimal(b) for b in bounds)
        if not all(b.is_finite() and abs(b) <= MAX_BOUND for b in (low, high)):
            raise fail("variants", key, f"expected bounds from {-MAX_BOUND:,.0f} to {MAX_BOUND:,.0f}, got {_shown(bounds)}")
        if not low < high:
            raise fail("variants", key, f"the low end {low} must be below the high end {high}")
        decimals = 1 if any(isinstance(b, Decimal) for b in bounds) else 0
        if decimals and any(b != b.quantize(Decimal("0.1")) for b in (low, high)):
            raise fail("variants", key, f"bounds of a one-decimal range have at most one decimal, got {_shown(bounds)}")
        span = InputRange(float(low), float(high), decimals)
        if span.steps > MAX_STEPS:
            raise fail("variants", key, f"the range holds {span.steps + 1:,} values; at most {MAX_STEPS:,} are drawn from")
        ranges[name] = span
    if not ranges:
        raise fail("variants", None, "give a range for at least one input, like x0 = [-3, 3]")
    return VariantRules(ranges, avoid_ties)


def _shown(value: Any) -> str:
    """A value quoted in a message as TOML writes it, shortened so a hostile file cannot flood it."""
    if isinstance(value, list):
        text = "[" + ", ".join(_shown(v) for v in value) + "]"
    else:
        text = str(value) if isinstance(value, Decimal) else repr(value)
    return text if len(text) <= 60 else text[:60] + "…"


def dumps(exercise: Exercise, **changes: str) -> str:
    """``exercise`` as the text of an exercise file (``changes`` replaces id or title), read back by ``loads``."""
    exercise = replace(exercise, **changes)

    def text(s: str) -> str:
        return json.dumps(s, ensure_ascii=False)

    lines = [f"id = {text(exercise.id)}", f"title = {text(exercise.title)}"]
    if exercise.statement:
        lines += ["", "[statement]"] + [f"{lang} = {text(s)}" for lang, s in exercise.statement.items()]
    lines += ["", "[formula]"]
    if exercise.formula != exercise.latex:
        lines.append(f"python = {text(exercise.formula)}")
    if exercise.latex:
        lines.append(f"latex = {text(exercise.latex)}")
    lines += ["", "[inputs]"] + [f"{name} = {value!r}" for name, value in exercise.inputs.items()]
    lines += ["", "[report]", f"gradient = {exercise.gradient!r}",
              "wrt = [" + ", ".join(text(w) for w in exercise.wrt) + "]",
              f"nodes = {'true' if exercise.report_nodes else 'false'}"]
    policy = exercise.policy
    if policy.decimals is not None:
        lines += ["", "[rounding]", f"decimals = {policy.decimals}", f"convention = {text(policy.convention)}",
                  f"ties = {text(policy.ties)}"]
    rules = exercise.variants
    if rules.ranges:
        def bound(x: float, decimals: int) -> str:
            return f"{x:.{decimals}f}" if decimals else str(int(x))

        lines += ["", "[variants]"] + [f"{name} = [{bound(r.low, r.decimals)}, {bound(r.high, r.decimals)}]"
                                       for name, r in rules.ranges.items()]
        lines.append(f"avoid_ties = {'true' if rules.avoid_ties else 'false'}")
    return "\n".join(lines) + "\n"
