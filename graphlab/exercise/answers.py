"""What a student hands in: answers per quantity, read from TOML, CSV or plain text, with line numbers.

The quantities have short names, the same in every format (see
``graphlab.exercise.steps``): ``f``, ``df/dx0`` (``∂f/∂x0`` works too),
``#5`` and ``df/d#5`` for node 5's value and gradient, ``d#9/db`` for a local
derivative and ``df/d#9*d#9/db`` for the product upstream × local.

TOML (numbers, or strings for a decimal comma)::

    student = "Иванова"        # optional; the file's name otherwise
    id = "s1234567"            # optional: the student's id or email, as on the roster
    variant = 7                # optional; which variant the student solved
    f = 20.00
    [grad]
    x0 = "40,00"
    [nodes]
    5 = { value = 1, grad = 20 }
    9 = { value = 20, local = { a = 20, b = -400 } }

CSV: one ``quantity,answer`` row per answer (a header row is optional, ``;``
or a tab works as the separator, ``f,0,05`` reads as 0,05, and an empty cell
at the end of a row — Excel's trailing separator — is ignored)::

    quantity;answer
    student;Иванова
    f;20,00
    df/dx0;40

Plain text (``.txt``): one answer per line, ``f = 20``, ``df/dx0: 40``,
``f 20``; ``[grad]`` and ``[nodes]`` headings work as in TOML. A TOML file that
is not valid TOML (``x0 = 0,05`` unquoted, a stray ``?``) is read this way too.

A file is read as UTF-8 (with or without a byte-order mark), UTF-16 with a
byte-order mark, or else as Windows-1251, the encoding Excel and Notepad on a
Russian Windows write; line ends may be CRLF. A cell that cannot be read
costs that quantity only: it is kept as unreadable, with the reason and its
line, and the rest of the file is graded. What refuses a file whole: it is not
an answers file, it is larger than 1 MiB, its TOML nests too deep, or its
``variant`` is not a number (the exercise to grade against is then unknown).
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from graphlab.errors import FileFormatError
from graphlab.exercise.check import AnswerError, parse_answer
from graphlab.exercise.file import line_of
from graphlab.exercise.safe import clip
from graphlab.exercise.steps import parse_key
from graphlab.loading import MAX_NESTING, load_toml, nesting_depth, read_bytes

SUFFIXES = (".toml", ".csv", ".txt")
MAX_LINE = 1_000
"""Longest line read (characters): an answer takes a few; a longer line is reported, not read."""
MAX_NAME = 200
"""Longest student name, id or email kept (characters)."""
PEOPLE = {"student": "student", "name": "student", "имя": "student", "студент": "student",
          "id": "student_id", "student_id": "student_id", "email": "email", "e-mail": "email",
          "variant": "variant", "вариант": "variant"}
"""Fields that say who handed the file in and which variant, as students write them."""
HEADERS = {"quantity", "величина", "вопрос", "question"}
"""The first cell of a CSV header row."""

_SEPARATOR = re.compile(r"\s*[=:;\t]\s*")
_HEADING = re.compile(r"^\[\s*([A-Za-z_]+)\s*\]$")
_INLINE = re.compile(r"(\w+)\s*=\s*(\{[^{}]*\}|\[[^\[\]]*\]|\"[^\"]*\"|'[^']*'|[^,{}\[\]]+?(?:,\d+)?)\s*(?:,|$)")


class AnswerFileError(FileFormatError):
    """An answers file that cannot be read at all: ``file:line: what was expected``."""

    def __init__(self, path: Path | str, line: int | None, problem: str):
        super().__init__(path, None, problem, line)


@dataclass(frozen=True)
class Answer:
    """One number a student wrote, as written, the number it reads as (None if it does not), and its line."""

    text: str
    number: Decimal | None
    line: int | None
    problem: str | None = None

    @property
    def readable(self) -> bool:
        return self.number is not None


@dataclass
class Answers:
    """One student's file: who, which variant, an answer per quantity key, and what could not be read."""

    path: Path
    student: str
    variant: int | None = None
    values: dict[str, Answer] = field(default_factory=dict)
    student_id: str | None = None
    email: str | None = None
    problems: list[str] = field(default_factory=list)
    """Lines that name no quantity or hold no answer, as ``line 4: …``: reported, not graded."""
    notes: list[str] = field(default_factory=list)
    """How the file was read where it was unusual (another encoding, TOML read line by line)."""
    encoding: str = "utf-8"
    named: bool = False
    """Whether the file names the student (``student = …``); otherwise ``student`` is the file's name."""

    def where(self, line: int | None) -> str:
        """``file:line`` for a message."""
        return f"{self.path}:{line}" if line else str(self.path)


def quantity_key(text: str) -> str | None:
    """The canonical key of a quantity name (``∂f/∂x0`` → ``df/dx0``, ``d#9 / db`` → ``d#9/db``), None if none."""
    key = parse_key(text)
    if key is None:
        return None
    if key.kind == "value":
        return "f" if key.node is None else f"#{key.node}"
    if key.kind == "grad":
        return f"df/d#{key.node}" if key.node is not None else f"df/d{key.input}"
    if key.kind == "local":
        return f"d#{key.node}/d{key.input}"
    return f"df/d#{key.node}*d#{key.node}/d{key.input}"


def read_answers(path: Path | str) -> Answers:
    """The answers in ``path`` (``.toml``, ``.csv`` or ``.txt``); ``AnswerFileError`` if it cannot be read at all."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise AnswerFileError(path, None, f"answers are read from {', '.join(SUFFIXES)} files")
    text, encoding = decode(read_bytes(path, lambda problem: AnswerFileError(path, None, problem)))
    answers = Answers(path, path.stem, encoding=encoding)
    if encoding != "utf-8":
        answers.notes.append(f"read as {encoding}")
    if suffix == ".toml":
        _from_toml(text, answers)
    elif suffix == ".csv":
        _from_csv(text, answers)
    else:
        _from_lines(text, answers)
    return answers


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read in: UTF-8 (± BOM), UTF-16 with a BOM, or Windows-1251."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace"), "cp1251"


# -- TOML ----------------------------------------------------------------------------------------------------


def _from_toml(text: str, answers: Answers) -> None:
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise AnswerFileError(answers.path, None, f"tables and arrays nested {depth} deep; "
                                                  f"at most {MAX_NESTING} levels are read")
    try:
        data = load_toml(text, lambda line, problem: AnswerFileError(answers.path, line, problem))
    except AnswerFileError as err:
        answers.notes.append(f"{_at(err.line)}{clip(err.problem, 120)}; read line by line")
        _from_lines(text, answers)
        return
    for key, value in data.items():
        line = line_of(text, None, key)
        if key == "grad" and isinstance(value, dict):
            for name, number in value.items():
                _add(answers, f"df/d{name}", number, line_of(text, "grad", name))
        elif key == "nodes" and isinstance(value, dict):
            for node, entry in value.items():
                _add_node(answers, node, entry, line_of(text, "nodes", node) or line_of(text, f"nodes.{node}", None))
        else:
            add_answer(answers, key, value, line)


def _add_node(answers: Answers, node: str, entry, line: int | None) -> None:
    """``5 = { value = 1, grad = 2, local = { a = …, b = … }, product = { a = …, b = … } }``."""
    parts = {"value": f"#{node}", "grad": f"df/d#{node}"}
    if not (node.isascii() and node.isdigit()) or not isinstance(entry, dict) or not entry:
        answers.problems.append(f"{_at(line)}nodes.{clip(node, 20)}: expected a node number and "
                                "{ value = …, grad = … }, like 5 = { value = 1, grad = 2 }")
        return
    for name, value in entry.items():
        if name in parts:
            _add(answers, parts[name], value, line)
        elif name in ("local", "product") and isinstance(value, (dict, list)):
            pairs = value.items() if isinstance(value, dict) else zip("ab", value)
            for argument, number in pairs:
                local = f"d#{node}/d{argument}"
                _add(answers, local if name == "local" else f"df/d#{node}*{local}", number, line)
        else:
            answers.problems.append(f"{_at(line)}nodes.{node}.{clip(name, 20)}: a node takes value, grad, "
                                    "local = {a = …, b = …} and product = {a = …, b = …}")


# -- CSV and plain text -------------------------------------------------------------------------------------


def _from_csv(text: str, answers: Answers) -> None:
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if ";" in first else "\t" if "\t" in first else ","
    for number, line in enumerate(lines, 1):
        if not line.strip() or _too_long(answers, number, line):
            continue
        try:
            cells = [c.strip() for c in next(csv.reader([line], delimiter=delimiter))]
        except (csv.Error, StopIteration) as err:
            answers.problems.append(f"line {number}: not a readable CSV row ({err})")
            continue
        while cells and not cells[-1]:
            cells.pop()  # Excel's trailing separator
        if not cells:
            continue
        if number == 1 and cells[0].lower() in HEADERS:
            continue
        if len(cells) < 2:
            answers.problems.append(f"line {number}: expected two columns, quantity{delimiter}answer, "
                                    f"got {clip(cells[0], 40)!r}")
            continue
        value = delimiter.join(cells[1:]) if delimiter == "," else cells[1]
        if delimiter != "," and len(cells) > 2:
            answers.problems.append(f"line {number}: {len(cells)} columns; the answer is the second, "
                                    f"{clip(cells[1], 20)!r}, the rest is not read")
        add_answer(answers, cells[0], value, number)


def _from_lines(text: str, answers: Answers) -> None:
    """One ``quantity = answer`` per line (``:``, ``;``, a tab, a comma or spaces separate); ``[grad]``/``[nodes]``."""
    section = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = _without_comment(raw.strip())
        if not line or _too_long(answers, number, line):
            continue
        heading = _HEADING.match(line)
        if heading:
            section = heading.group(1).lower()
            if section not in ("grad", "nodes"):
                answers.problems.append(f"line {number}: [{clip(section, 20)}] is not a table of answers; "
                                        "[grad] and [nodes] are")
            continue
        name, value = _split(line)
        if value is None:
            answers.problems.append(f"line {number}: expected a quantity and its answer, like f = 20, "
                                    f"got {clip(line, 40)!r}")
        elif section == "grad":
            _add(answers, f"df/d{name}", value, number)
        elif section == "nodes":
            _add_node(answers, name, _inline_table(value), number)
        else:
            add_answer(answers, name, value, number)


def _without_comment(line: str) -> str:
    """The line without a comment: ``# …`` or ``// …`` (but ``#5 = 1`` names node 5)."""
    if line.startswith("//") or (line.startswith("#") and not re.match(r"#\d", line)):
        return ""
    return re.sub(r"\s+(#|//).*$", "", line)


def _split(line: str) -> tuple[str, str | None]:
    """``f = 20`` → (``f``, ``20``): after ``=``, ``:``, ``;`` or a tab, else the last space, else a comma."""
    match = _SEPARATOR.search(line)
    if match is not None and match.start() > 0:
        name, value = line[:match.start()], line[match.end():]
    elif re.search(r"\s", line):
        name, value = line.rsplit(None, 1)
    elif "," in line:
        name, value = line.split(",", 1)
    else:
        return line, None
    return name.strip().rstrip(",").strip().strip("\"'"), value.strip().strip("\"'") or None


def _inline_table(text: str):
    """``{ value = 1, grad = 2 }`` read leniently (``{ value = 0,05 }`` is 0,05); anything else as it is."""
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return text
    table = {}
    for name, value in _INLINE.findall(text[1:-1].strip()):
        value = value.strip()
        table[name] = _inline_table(value) if value.startswith("{") else value.strip("\"'")
    return table


def _too_long(answers: Answers, number: int, line: str) -> bool:
    if len(line) <= MAX_LINE:
        return False
    name = _split(line[:100])[0]
    key = quantity_key(name)
    problem = f"line {number} has {len(line):,} characters; a line is read up to {MAX_LINE:,}"
    if key is not None and key not in answers.values:
        answers.values[key] = Answer(clip(line, 40), None, number, problem)
    else:
        answers.problems.append(problem)
    return True


# -- one answer -----------------------------------------------------------------------------------------------


def add_answer(answers: Answers, name: str, value, line: int | None) -> None:
    """A top-level ``name = value``: who the student is, the variant, or a quantity."""
    field_name = PEOPLE.get(name.strip().lower())
    if field_name == "variant":
        answers.variant = _variant_number(value, answers, line)
    elif field_name is not None:
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        if not text:
            answers.problems.append(f"{_at(line)}{name}: expected text in quotes, like {name} = \"…\"")
        elif field_name == "student":
            answers.student, answers.named = clip(text, MAX_NAME), True
        else:
            setattr(answers, field_name, clip(text, MAX_NAME))
    else:
        key = quantity_key(name)
        if key is None:
            answers.problems.append(f"{_at(line)}{clip(name, 40)!r} is not a quantity; write f, df/dx0 (one per "
                                    "input), #5, df/d#5 (node 5 of the key's table), d#5/da or df/d#5*d#5/da")
        else:
            _add(answers, key, value, line)


def _add(answers: Answers, key: str, value, line: int | None) -> None:
    canonical = quantity_key(key)
    if canonical is None:
        answers.problems.append(f"{_at(line)}{clip(key, 40)!r} is not a quantity")
        return
    if canonical in answers.values:
        first = answers.values[canonical]
        answers.values[canonical] = Answer(first.text, None, line,
                                           f"answered twice (lines {first.line} and {line}): not graded")
        return
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        answers.values[canonical] = Answer(clip(repr(value), 40), None, line,
                                           "expected a number, like 0.05 or \"0,05\"")
        return
    text = value if isinstance(value, str) else str(value)
    try:
        answers.values[canonical] = Answer(clip(text.strip(), 40), parse_answer(text), line)
    except AnswerError as err:
        answers.values[canonical] = Answer(clip(text.strip(), 40), None, line,
                                           f"{err}; expected a number like 0.05 or \"0,05\"")


def _variant_number(value, answers: Answers, line: int | None) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if isinstance(value, bool) or number < 1:
        raise AnswerFileError(answers.path, line, f"variant: expected the variant's number (1, 2, …), "
                                                  f"got {clip(repr(value), 40)}")
    return number


def _at(line: int | None) -> str:
    return f"line {line}: " if line else ""
