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
    steps = false                     # true: also each local derivative and each upstream × local

    [rounding]                        # optional; absent means exact
    decimals = 2
    convention = "every_node"         # every_node | local_too | forward_only | final_only
    ties = "away"                     # away | even

    [variants]                        # optional: how `graphlab variants` draws new inputs
    x0 = [-3, 3]                      # whole numbers from -3 to 3
    y0 = [-2.0, 2.0]                  # one decimal: -2.0, -1.9, … 2.0 (a float bound says so)
    x1 = {from = -3, to = 3, step = 0.5, exclude = [0]}   # -3, -2.5, … 3 without 0
    avoid_ties = true                 # redraw when a number to round ends exactly on …5
    avoid = ["near_ties", "zero_answers", "saturated", "duplicates"]   # more redraws, see below

    [grading]                         # optional: how `graphlab grade` scores
    tolerance = "rounded"             # rounded | digit (±1 in the last digit) | {absolute = 0.05} | {relative = 0.01}
    carried = 1.0                     # share of the points for a step right for the student's own earlier numbers
    weights = {f = 2, gradients = 1}  # per quantity (f, df/dx0, #5 …) or group (values, locals, products, gradients)
    tolerances = {"df/dx0" = {absolute = 0.05}}   # per quantity or group

Inputs without a range keep the value given in ``[inputs]``. Whatever the
ranges, a variant is redrawn until every node is defined away from its edge
cases: no log or square root of a number ≤ 0, no division by a number near 0,
no ReLU, |·| or max/min at its kink (see ``graphlab.exercise.variants``).
``avoid`` names more reasons to redraw (``VARIANT_CHECKS``); `graphlab
variants` warns about the ones not avoided.

The exercise's ``id`` names its files (handouts, keys, variants), so it must
be usable as a file name: no ``/``, ``\\``, ``..`` or leading dot.

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
from graphlab.exercise.check import Tolerance
from graphlab.exercise.safe import file_name, is_file_name
from graphlab.exercise.steps import parse_key
from graphlab.formula import FormulaError, canonical_name, names, parse, to_text
from graphlab.loading import load_toml, read_text, to_float
from graphlab.rounding import CONVENTIONS, EXACT, TIES, Convention, RoundingPolicy, Ties
from graphlab.trace import Trace

FIELDS: dict[str, set[str] | None] = {
    "id": None, "title": None,
    "statement": {"ru", "en"},
    "formula": {"python", "latex"},
    "inputs": set(),  # any names
    "report": {"gradient", "wrt", "nodes", "steps"},
    "rounding": {"decimals", "convention", "ties"},
    "variants": set(),
    "grading": {"tolerance", "carried", "weights", "tolerances"},
}
"""The tables and fields of an exercise file: a set names a table's fields, an empty set any names, None a value."""

MAX_BOUND = 1e6
"""Largest magnitude of a ``[variants]`` range's bound (variants are numbers to work by hand)."""
MAX_STEPS = 10**7
"""Most values one ``[variants]`` range may hold."""
MAX_STEP_DECIMALS = 6
"""Most decimals of a ``[variants]`` range's bounds and step."""
VARIANT_CHECKS = {
    "ties": "a number that is rounded ends exactly on a tie (…5)",
    "near_ties": "a number that is rounded lies within a hundredth of the rounding unit of a tie (0.1249 … 0.1251)",
    "zero_answers": "an asked answer rounds to 0",
    "saturated": "a local derivative rounds to 0 (a saturated σ or tanh, a ReLU that is off, a product with 0)",
    "duplicates": "two variants of one set of 50 have the same inputs",
}
"""What ``[variants] avoid`` may name: the reasons `graphlab variants` redraws (or warns about)."""
QUANTITY_GROUPS = ("values", "locals", "products", "gradients")
"""Groups a ``[grading]`` weight or tolerance may name instead of one quantity."""


class ExerciseError(FileFormatError):
    """An exercise file that cannot be used: ``file:line: field: what was expected``."""

    def __init__(self, path: Path | str, line: int | None, field_name: str, problem: str):
        self.field = field_name
        super().__init__(path, field_name, problem, line)


@dataclass(frozen=True)
class InputRange:
    """Where a variant draws one input from: ``low``, ``low + step`` … ``high``, without ``exclude``."""

    low: Decimal
    high: Decimal
    step: Decimal
    exclude: tuple[Decimal, ...] = ()

    @property
    def steps(self) -> int:
        """Steps from ``low`` to ``high``."""
        return int((self.high - self.low) / self.step)

    @property
    def count(self) -> int:
        """How many values the range holds."""
        return self.steps + 1 - len(self.exclude)

    @property
    def decimals(self) -> int:
        """Decimals of the values: 0 for whole numbers, 1 for -2.0, -1.9 …"""
        return max(0, -min(x.as_tuple().exponent for x in (self.low, self.high, self.step)))

    def value(self, index: int) -> float:
        """The ``index``-th value from ``low`` (0 … ``count`` − 1), exact in decimal: 0.1 steps stay 0.1."""
        position = index
        for skipped in sorted(int((x - self.low) / self.step) for x in self.exclude):
            if skipped > position:
                break
            position += 1
        return float(self.low + position * self.step)

    def holds(self, x: float) -> bool:
        """Whether ``x`` is one of the range's values."""
        number = Decimal(repr(float(x)))
        offset = (number - self.low) / self.step
        return self.low <= number <= self.high and offset == offset.to_integral_value() and number not in self.exclude


@dataclass(frozen=True)
class VariantRules:
    """The exercise's ``[variants]`` table: input ranges and the reasons to redraw (``VARIANT_CHECKS``)."""

    ranges: dict[str, InputRange] = field(default_factory=dict)
    avoid_ties: bool = False
    avoid: tuple[str, ...] = ()

    def avoids(self, check: str) -> bool:
        return check in self.avoid or (check == "ties" and self.avoid_ties)


@dataclass(frozen=True)
class GradingRules:
    """The exercise's ``[grading]`` table: tolerances, weights, and the credit for carried-forward steps."""

    tolerance: Tolerance = field(default_factory=Tolerance)
    tolerances: dict[str, Tolerance] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    carried: float = 1.0

    def tolerance_for(self, key: str, group: str) -> Tolerance:
        """The tolerance of quantity ``key`` (of ``group``): its own, its group's, or the default."""
        return self.tolerances.get(key) or self.tolerances.get(group) or self.tolerance

    def weight(self, key: str, group: str) -> float:
        """The points quantity ``key`` (of ``group``) is worth: its own, its group's, or 1."""
        return self.weights.get(key, self.weights.get(group, 1.0))


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
    report_steps: bool = False
    grading: GradingRules = field(default_factory=GradingRules)

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

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages of the statement, as the file lists them (``("ru", "en")``); English without one."""
        return tuple(self.statement) or ("en",)

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
    if not is_file_name(ident):
        raise fail(None, "id", f"names the exercise's files, so it must be usable as a file name (no '/', '\\\\', "
                               f"'..', leading dot or control characters); got {_shown(ident)}, "
                               f"write for example {json.dumps(file_name(ident, 'exercise'), ensure_ascii=False)}")
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
        report_nodes=_flag(report.get("nodes", False), "nodes", fail),
        report_steps=_flag(report.get("steps", False), "steps", fail),
        statement={k: _text(data["statement"], k, lambda _t, key, problem: fail("statement", key, problem)).strip()
                   for k in data.get("statement", {})},
        latex=latex,
        variants=_variants(data.get("variants"), inputs, fail),
        path=Path(path) if str(path) != "<exercise>" else None,
        grading=_grading(data.get("grading"), inputs, fail),
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


def _flag(value: Any, key: str, fail, table: str = "report") -> bool:
    if not isinstance(value, bool):
        raise fail(table, key, f"expected true or false, got {_shown(value)}")
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
    avoid_ties = _flag(table.get("avoid_ties", False), "avoid_ties", fail, "variants")
    avoid = table.get("avoid", [])
    if not isinstance(avoid, list) or any(a not in VARIANT_CHECKS for a in avoid):
        raise fail("variants", "avoid", f"expected a list of {', '.join(map(json.dumps, VARIANT_CHECKS))}, "
                                        f"got {_shown(avoid)}")
    ranges = {}
    for key, bounds in table.items():
        if key in ("avoid_ties", "avoid"):
            continue
        name = canonical_name(key)
        if name not in inputs:
            raise fail("variants", key, f"not an input of the formula; its inputs are {', '.join(inputs)}")
        if name in ranges:
            raise fail("variants", key, f"gives {name} a second range; x_0, x_{{0}} and x0 are one input")
        ranges[name] = _range(bounds, lambda problem, key=key: fail("variants", key, problem))
    if not ranges:
        raise fail("variants", None, "give a range for at least one input, like x0 = [-3, 3]")
    return VariantRules(ranges, avoid_ties, tuple(dict.fromkeys(avoid)))


def _range(bounds: Any, fail) -> InputRange:
    """``[low, high]`` (whole numbers, or one decimal when a bound is written with one) or
    ``{from, to, step, exclude}``."""
    expected = ("expected a range [low, high] like [-3, 3] or [-2.0, 2.0], or a table like "
                "{from = -3, to = 3, step = 0.5, exclude = [0]}")
    if isinstance(bounds, list):
        if len(bounds) != 2 or not all(_is_number(b) for b in bounds):
            raise fail(f"{expected}, got {_shown(bounds)}")
        low, high = (Decimal(b) for b in bounds)
        one_decimal = any(isinstance(b, Decimal) for b in bounds)
        step, exclude = Decimal("0.1") if one_decimal else Decimal(1), []
    elif isinstance(bounds, dict):
        extra = sorted(set(bounds) - {"from", "to", "step", "exclude"})
        if extra or not {"from", "to"} <= set(bounds):
            raise fail(f"{expected}; a table takes from, to, step and exclude, got {_shown(bounds)}")
        numbers = [bounds["from"], bounds["to"], bounds.get("step", 1)]
        exclude = bounds.get("exclude", [])
        if not all(_is_number(b) for b in numbers) or not (isinstance(exclude, list) and all(map(_is_number, exclude))):
            raise fail(f"{expected}; from, to and step are numbers and exclude a list of numbers, "
                       f"got {_shown(bounds)}")
        low, high, step = (Decimal(b) for b in numbers)
        if not (step.is_finite() and step > 0):
            raise fail(f"the step must be above 0, got {_shown(bounds['step'])}")
        exclude = [Decimal(x) for x in exclude]
    else:
        raise fail(f"{expected}, got {_shown(bounds)}")
    if not all(b.is_finite() and abs(b) <= MAX_BOUND for b in (low, high)):
        raise fail(f"expected bounds from {-MAX_BOUND:,.0f} to {MAX_BOUND:,.0f}, got {_shown(bounds)}")
    if isinstance(bounds, list) and (low % step or high % step):
        raise fail(f"bounds of a one-decimal range have at most one decimal, got {_shown(bounds)}")
    if any(x.as_tuple().exponent < -MAX_STEP_DECIMALS for x in (low, high, step)) or step > MAX_BOUND:
        raise fail(f"bounds and step have at most {MAX_STEP_DECIMALS} decimals, got {_shown(bounds)}")
    if not low < high:
        raise fail(f"the low end {low} must be below the high end {high}")
    if (high - low) / step > MAX_STEPS:
        raise fail(f"the range holds {(high - low) / step + 1:,.0f} values; at most {MAX_STEPS:,} are drawn from")
    if (high - low) % step:
        raise fail(f"the step {step} does not lead from {low} to {high}; choose bounds it divides")
    span = InputRange(low, high, step)
    off_grid = [x for x in exclude if not span.holds(float(x))]
    if off_grid:
        raise fail(f"exclude: {off_grid[0]} is not one of the range's values {low}, {low + step} … {high}")
    span = InputRange(low, high, step, tuple(sorted(set(exclude))))
    if span.count < 1:
        raise fail("every value of the range is excluded")
    return span


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _grading(table: dict | None, inputs: dict[str, float], fail) -> GradingRules:
    if table is None:
        return GradingRules()
    carried = table.get("carried", 1)
    if not _is_number(carried) or not 0 <= carried <= 1:
        raise fail("grading", "carried", f"expected a share of the points from 0 to 1, got {_shown(carried)}")
    rules = GradingRules(_tolerance(table.get("tolerance", "rounded"), "tolerance", fail),
                         carried=float(carried))
    for field_name in ("weights", "tolerances"):
        entries = table.get(field_name, {})
        if not isinstance(entries, dict):
            raise fail("grading", field_name, f"expected a table of quantities, like {field_name} = {{f = 2}}")
        for key, value in entries.items():
            where = f"{field_name}.{key}"
            if key not in QUANTITY_GROUPS and _quantity_name(key, inputs) is None:
                raise fail("grading", field_name, f"{_shown(key)} is neither a quantity (f, df/dx0 for an input, "
                                                  f"#5, df/d#5, d#5/da, df/d#5*d#5/da) nor a group "
                                                  f"({', '.join(QUANTITY_GROUPS)})")
            if field_name == "tolerances":
                rules.tolerances[key] = _tolerance(value, where, fail)
            elif not _is_number(value) or not 0 <= value <= MAX_BOUND:
                raise fail("grading", field_name, f"{where}: expected points from 0 up, got {_shown(value)}")
            else:
                rules.weights[key] = float(value)
    return rules


def _quantity_name(key: str, inputs: dict[str, float]) -> str | None:
    """``key`` if it names a quantity an exercise with ``inputs`` may have (node ids are checked when graded)."""
    parsed = parse_key(key)
    if parsed is None or (parsed.kind == "grad" and parsed.input is not None and parsed.input not in inputs):
        return None
    return key


def _tolerance(value: Any, where: str, fail) -> Tolerance:
    if value in ("rounded", "digit"):
        return Tolerance(value)
    if isinstance(value, dict) and len(value) == 1 and set(value) <= {"absolute", "relative"}:
        (kind, amount), = value.items()
        if _is_number(amount) and 0 <= amount <= MAX_BOUND:
            return Tolerance(kind, float(amount))
    raise fail("grading", where.split(".")[0], f"{where}: expected \"rounded\", \"digit\", {{absolute = 0.05}} or "
                                               f"{{relative = 0.01}}, got {_shown(value)}")


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
              f"nodes = {'true' if exercise.report_nodes else 'false'}",
              f"steps = {'true' if exercise.report_steps else 'false'}"]
    policy = exercise.policy
    if policy.decimals is not None:
        lines += ["", "[rounding]", f"decimals = {policy.decimals}", f"convention = {text(policy.convention)}",
                  f"ties = {text(policy.ties)}"]
    rules = exercise.variants
    if rules.ranges:
        lines += ["", "[variants]"] + [f"{name} = {_range_text(r)}" for name, r in rules.ranges.items()]
        lines.append(f"avoid_ties = {'true' if rules.avoid_ties else 'false'}")
        if rules.avoid:
            lines.append("avoid = [" + ", ".join(text(a) for a in rules.avoid) + "]")
    if exercise.grading != GradingRules():
        grading = exercise.grading
        lines += ["", "[grading]", f"tolerance = {_tolerance_text(grading.tolerance)}", f"carried = {grading.carried!r}"]
        if grading.weights:
            lines.append("weights = {" + ", ".join(f"{text(k)} = {v!r}" for k, v in grading.weights.items()) + "}")
        if grading.tolerances:
            lines.append("tolerances = {" + ", ".join(f"{text(k)} = {_tolerance_text(t)}"
                                                       for k, t in grading.tolerances.items()) + "}")
    return "\n".join(lines) + "\n"


def _range_text(span: InputRange) -> str:
    """A range as the file writes it: ``[-3, 3]``, ``[-2.0, 2.0]`` or ``{from = …, to = …, step = …}``."""
    if not span.exclude and span.step == 1 and span.low == span.low.to_integral_value() \
            and span.high == span.high.to_integral_value():
        return f"[{int(span.low)}, {int(span.high)}]"
    if not span.exclude and span.step == Decimal("0.1") and span.decimals <= 1:
        return f"[{span.low:.1f}, {span.high:.1f}]"
    exclude = ", exclude = [" + ", ".join(str(x) for x in span.exclude) + "]" if span.exclude else ""
    return f"{{from = {span.low}, to = {span.high}, step = {span.step}{exclude}}}"


def _tolerance_text(tolerance: Tolerance) -> str:
    if tolerance.kind in ("rounded", "digit"):
        return json.dumps(tolerance.kind)
    return f"{{{tolerance.kind} = {tolerance.amount!r}}}"
