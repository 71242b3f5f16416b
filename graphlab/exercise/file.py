"""Exercise files: a formula, its inputs, its rounding rule and what to report, in TOML.

An exercise file is written by a lecturer and read by students' tools, so it is
checked field by field and every problem names ``file:line``, the field and
what was expected. The format, with every field::

    id = "variant-2"                  # how `graphlab solve variant-2` finds it
    title = "Вариант 2"

    [statement]                       # either language may be missing
    ru = "..."
    en = "..."

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

Unknown tables or fields are errors (a typo must not silently change an exercise).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from graphlab.formula import FormulaError, names, parse, to_text
from graphlab.rounding import CONVENTIONS, EXACT, RoundingPolicy
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


class ExerciseError(ValueError):
    """An exercise file that cannot be used: ``file:line: field: what was expected``."""

    def __init__(self, path: Path | str, line: int | None, field_name: str, problem: str):
        self.path, self.line, self.field, self.problem = str(path), line, field_name, problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {field_name}: {problem}")


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
    variants: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def solve(self, inputs: Mapping[str, float] | None = None,
              policy: RoundingPolicy | None = None) -> Trace:
        """The trace at the exercise's inputs (or ``inputs``) under its rounding (or ``policy``)."""
        from graphlab.solve import solve

        return solve(self.formula, inputs or self.inputs, policy or self.policy, gradient=self.gradient)

    def with_inputs(self, inputs: Mapping[str, float]) -> "Exercise":
        return replace(self, inputs=dict(inputs))


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
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ExerciseError(path, None, "file", f"cannot be read ({err.strerror})") from None
    except UnicodeDecodeError:
        raise ExerciseError(path, None, "file", "is not UTF-8 text") from None
    return loads(text, path)


def loads(text: str, path: Path | str = "<exercise>") -> Exercise:
    """Check the TOML ``text`` of an exercise; ``path`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        match = re.search(r"line (\d+)", str(err))
        raise ExerciseError(path, int(match.group(1)) if match else None, "TOML", str(err)) from None

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
    unknown = [w for w in wrt if w not in inputs]
    if unknown:
        raise fail("report", "wrt", f"{', '.join(unknown)} is not an input; the inputs are {', '.join(inputs)}")
    return Exercise(
        id=ident,
        title=_text(data, "title", fail) or ident,
        formula=python or latex,
        inputs=inputs,
        policy=_policy(data.get("rounding"), fail),
        wrt=tuple(wrt),
        gradient=_number(report.get("gradient", 1.0), "report", "gradient", fail),
        report_nodes=_flag(report.get("nodes", False), fail),
        statement={k: v.strip() for k, v in data.get("statement", {}).items()},
        latex=latex,
        variants=data.get("variants", {}),
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
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise fail(table, key, f"expected a finite number, got {value!r}")
    return float(value)


def _flag(value: Any, fail) -> bool:
    if not isinstance(value, bool):
        raise fail("report", "nodes", f"expected true or false, got {value!r}")
    return value


def _inputs(table: dict, wanted: list[str], fail) -> dict[str, float]:
    from graphlab.formula import canonical_name

    inputs = {canonical_name(k): _number(v, "inputs", k, fail) for k, v in table.items()}
    missing = [n for n in wanted if n not in inputs]
    if missing:
        raise fail("inputs", None, f"no value for {', '.join(missing)}; the formula's inputs are {', '.join(wanted)}")
    extra = [n for n in inputs if n not in wanted]
    if extra:
        raise fail("inputs", extra[0], f"not an input of the formula; its inputs are {', '.join(wanted)}")
    return {n: inputs[n] for n in wanted}


def _policy(table: dict | None, fail) -> RoundingPolicy:
    if table is None:
        return EXACT
    decimals = table.get("decimals")
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 12):
        raise fail("rounding", "decimals", f"expected a whole number from 0 to 12, got {decimals!r}")
    convention = table.get("convention", "every_node")
    if convention not in CONVENTIONS:
        raise fail("rounding", "convention", f"expected one of {', '.join(CONVENTIONS)}, got {convention!r}")
    ties = table.get("ties", "away")
    if ties not in ("away", "even"):
        raise fail("rounding", "ties", f"expected \"away\" or \"even\", got {ties!r}")
    return RoundingPolicy(decimals, convention, ties)
