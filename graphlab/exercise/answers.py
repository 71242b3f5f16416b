"""What a student hands in: answers per quantity, read from TOML or CSV, with line numbers.

The quantities of an exercise have short names, the same in every file format:

* ``f`` — the formula's value;
* ``df/dx0`` — the gradient of f with respect to input ``x0`` (``∂f/∂x0`` works too);
* ``#5`` and ``df/d#5`` — the value and the gradient of node 5, numbered as in the
  answer key's table (asked for when the exercise has ``[report] nodes = true``).

TOML (numbers, or strings for a decimal comma)::

    student = "Иванова"        # optional; the file's name otherwise
    variant = 7                # optional; which variant the student solved
    f = 20.00
    [grad]
    x0 = "40,00"
    [nodes]
    5 = { value = 1, grad = 20 }

CSV: one ``quantity,answer`` row per answer (a header row is optional, ``;``
works as the separator, and ``f,0,05`` reads as 0,05)::

    quantity;answer
    student;Иванова
    f;20,00
    df/dx0;40

A file that cannot be read is refused whole, naming ``file:line`` and what was
expected; nothing is graded from half a file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from graphlab.errors import FileFormatError
from graphlab.exercise.check import AnswerError, parse_answer
from graphlab.exercise.file import line_of
from graphlab.loading import load_toml, read_text

SUFFIXES = (".toml", ".csv")
_GRADIENT = re.compile(r"^(?:d|∂)\s*f\s*/\s*(?:d|∂)\s*(#?\w+)$")
_NODE = re.compile(r"^#(\d+)$")


class AnswerFileError(FileFormatError):
    """An answers file that cannot be read: ``file:line: what was expected``."""

    def __init__(self, path: Path | str, line: int | None, problem: str):
        super().__init__(path, None, problem, line)


@dataclass(frozen=True)
class Answer:
    """One number a student wrote, as written, and the line it stands on."""

    text: str
    number: Decimal
    line: int | None


@dataclass
class Answers:
    """One student's file: who, which variant, and an answer per quantity key."""

    path: Path
    student: str
    variant: int | None = None
    values: dict[str, Answer] = field(default_factory=dict)


def quantity_key(text: str) -> str | None:
    """The canonical key of a quantity name (``∂f/∂x0`` → ``df/dx0``), None if it is not one."""
    text = text.strip()
    if text == "f" or _NODE.match(text):
        return text
    match = _GRADIENT.match(text)
    return f"df/d{match.group(1)}" if match else None


def read_answers(path: Path | str) -> Answers:
    """The answers in ``path`` (``.toml`` or ``.csv``)."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise AnswerFileError(path, None, f"answers are read from {' or '.join(SUFFIXES)} files")
    text = read_text(path, lambda problem: AnswerFileError(path, None, problem))
    return (_from_toml if path.suffix.lower() == ".toml" else _from_csv)(text, path)


def _from_toml(text: str, path: Path) -> Answers:
    hint = " (write a decimal comma in quotes: x0 = \"0,05\")" if re.search(r"=\s*-?\d+,\d", text) else ""
    data = load_toml(text, lambda line, problem: AnswerFileError(path, line, problem + hint))
    answers = Answers(path, path.stem)
    for key, value in data.items():
        line = line_of(text, None, key)
        if key == "student":
            if not isinstance(value, str) or not value.strip():
                raise AnswerFileError(path, line, "student: expected a name in quotes")
            answers.student = value.strip()
        elif key == "variant":
            answers.variant = _variant_number(value, path, line)
        elif key == "grad":
            if not isinstance(value, dict):
                raise AnswerFileError(path, line, "grad: expected a table [grad] with one input name per line")
            for name, number in value.items():
                _add(answers, f"df/d{name}", number, line_of(text, "grad", name))
        elif key == "nodes":
            if not isinstance(value, dict):
                raise AnswerFileError(path, line, "nodes: expected a table [nodes] with lines like 5 = { value = 1, grad = 2 }")
            for node, pair in value.items():
                _add_node(answers, node, pair, line_of(text, "nodes", node) or line_of(text, f"nodes.{node}", None))
        else:
            key_name = quantity_key(key)
            if key_name is None:
                raise AnswerFileError(path, line, f"{key}: not a quantity; write f = …, a [grad] table "
                                                  "or a [nodes] table (student and variant are also read)")
            _add(answers, key_name, value, line)
    return answers


def _from_csv(text: str, path: Path) -> Answers:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if ";" in first else ","
    answers = Answers(path, path.stem)
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in rows:
            _add_row(answers, row, rows.line_num, delimiter)
    except csv.Error as err:  # a NUL byte, a field beyond csv's size limit
        raise AnswerFileError(path, rows.line_num, f"not a readable CSV row ({err})") from None
    return answers


def _add_row(answers: Answers, row: list[str], line: int, delimiter: str) -> None:
    """One ``quantity;answer`` row of a CSV file (a header, ``student`` and ``variant`` rows included)."""
    cells = [c.strip() for c in row]
    if not any(cells):
        return
    if len(cells) < 2:
        raise AnswerFileError(answers.path, line, f"expected two columns, quantity{delimiter}answer, "
                                                  f"got {_clip(row[0])!r}")
    name, value = cells[0], delimiter.join(cells[1:]) if delimiter == "," else cells[1]
    if name.lower() in ("quantity", "величина") and line == 1:
        return
    if name == "student":
        answers.student = value or answers.student
    elif name == "variant":
        answers.variant = _variant_number(value, answers.path, line)
    else:
        key = quantity_key(name)
        if key is None:
            raise AnswerFileError(answers.path, line, f"{_clip(name)!r} is not a quantity; write f, df/dx0 "
                                                      "(one per input), #5 or df/d#5 (node 5 of the key's table)")
        _add(answers, key, value, line)


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "…"


def _add_node(answers: Answers, node: str, pair, line: int | None) -> None:
    if not (node.isascii() and node.isdigit()) or not isinstance(pair, dict) or not set(pair) <= {"value", "grad"} or not pair:
        raise AnswerFileError(answers.path, line, f"nodes.{_clip(node)}: expected a node number and "
                                                  "{ value = …, grad = … }, like 5 = { value = 1, grad = 2 }")
    if "value" in pair:
        _add(answers, f"#{node}", pair["value"], line)
    if "grad" in pair:
        _add(answers, f"df/d#{node}", pair["grad"], line)


def _add(answers: Answers, key: str, value, line: int | None) -> None:
    if key in answers.values:
        raise AnswerFileError(answers.path, line, f"{key} is answered twice (first on line {answers.values[key].line})")
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise AnswerFileError(answers.path, line, f"{key}: expected a number, like 0.05 or \"0,05\", "
                                                  f"got {_clip(repr(value))}")
    text = value if isinstance(value, str) else str(value)
    try:
        answers.values[key] = Answer(text, parse_answer(text), line)
    except AnswerError as err:
        raise AnswerFileError(answers.path, line, f"{key}: {err}; expected a number like 0.05 or \"0,05\"") from None


def _variant_number(value, path: Path, line: int | None) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if isinstance(value, bool) or number < 1:
        raise AnswerFileError(path, line, f"variant: expected the variant's number (1, 2, …), got {_clip(repr(value))}")
    return number
