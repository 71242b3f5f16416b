"""A class roster: who is in the class and which variant each student solves.

A roster is the CSV a learning platform exports — Moodle's participants or
gradebook export (``First name``, ``Last name``/``Surname``, ``ID number``,
``Email address``, in English or Russian) or Canvas's gradebook export
(``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``) — with a
``variant`` column that `graphlab variants --roster` adds. Columns are found by
their headers; every other column is kept as it is, so the file goes back to
the platform unchanged but for the variant.

A submission is matched to its student by, in order: the id or email the file
states (``id = "…"``, ``email = "…"``); an id or email that the file's name
(or its folder's, as Moodle's "download all submissions" names them) contains;
the full name it starts with; the name the file states (``student = "…"``,
"Иванова Анна" and "Анна Иванова" alike). Nothing else is guessed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from graphlab.errors import FileFormatError
from graphlab.exercise.answers import Answers, decode
from graphlab.exercise.safe import clip, csv_cell
from graphlab.loading import read_bytes

MAX_STUDENTS = 10_000
"""Most rows a roster may hold."""

ID_COLUMNS = ("id number", "идентификационный номер", "sis user id", "student id", "student number",
              "номер зачётки", "username", "имя пользователя", "sis login id", "id")
"""Headers of a student's id, most specific first (Canvas's ``ID`` is its own number, so it comes last)."""
EMAIL_COLUMNS = ("email address", "email", "e-mail", "адрес электронной почты", "электронная почта")
NAME_COLUMNS = ("student", "full name", "name", "фио", "полное имя", "студент")
FIRST_COLUMNS = ("first name", "имя")
LAST_COLUMNS = ("last name", "surname", "фамилия")
VARIANT_COLUMNS = ("variant", "вариант")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
"""The columns Canvas's gradebook import identifies a student by."""


class RosterError(FileFormatError):
    """A roster that cannot be used: ``file:line: what was expected``."""

    def __init__(self, path: Path | str, line: int | None, problem: str):
        super().__init__(path, None, problem, line)


@dataclass(frozen=True)
class Student:
    """One row of the roster: the student's ids, name, email, variant, and the row as exported."""

    name: str
    ids: tuple[str, ...]
    email: str
    variant: int | None
    row: dict[str, str]
    line: int

    @property
    def id(self) -> str:
        """The student's id as the platform knows it (the first id column), else the email."""
        return next((i for i in self.ids if i), self.email)


@dataclass
class Roster:
    """The class, as read from ``path``: its columns in order and one ``Student`` per row."""

    path: Path
    columns: list[str]
    students: list[Student] = field(default_factory=list)
    variant_column: str | None = None

    def find(self, answers: Answers, file: Path) -> tuple[Student | None, str]:
        """The student who handed in ``answers`` (read from ``file``) and how they were found, or (None, why not)."""
        stated = [(answers.student_id, "the id the file states"), (answers.email, "the email the file states")]
        for value, how in stated:
            if value:
                matches = [s for s in self.students if _fold(value) in {_fold(x) for x in (*s.ids, s.email) if x}]
                if matches:
                    return _one(matches, how)
        names = [file.stem, file.parent.name]
        for how, test in (("an id or email in the file's name", _names_id),
                          ("the name the file's name starts with", _starts_with_name)):
            matches = [s for s in self.students if any(test(s, name) for name in names)]
            if matches:
                return _one(matches, how)
        if answers.named:
            matches = [s for s in self.students if _same_name(s.name, answers.student)]
            if matches:
                return _one(matches, "the name the file states")
        return None, "not on the roster (no id, email or name of the roster in the file or its name)"

    @property
    def variants(self) -> set[int]:
        """The variants handed out to the class."""
        return {s.variant for s in self.students if s.variant is not None}

    def with_variants(self) -> Roster:
        """This roster with a variant for every student: those without one get 1, 2, … in roster order."""
        column = self.variant_column or "variant"
        students = []
        for number, student in enumerate(self.students, 1):
            variant = student.variant or number
            students.append(Student(student.name, student.ids, student.email, variant,
                                    {**student.row, column: str(variant)}, student.line))
        columns = self.columns + ([column] if self.variant_column is None else [])
        return Roster(self.path, columns, students, column)

    def to_csv(self) -> str:
        """The roster as the platform exported it, with the variant column; text cells safe for a spreadsheet."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.columns)
        for student in self.students:
            writer.writerow([csv_cell(student.row.get(c, "")) for c in self.columns])
        return "\ufeff" + out.getvalue()


def read_roster(path: Path | str) -> Roster:
    """The roster in ``path``, checked: a header naming an id or email column, one row per student."""
    path = Path(path)
    text, _ = decode(read_bytes(path, lambda problem: RosterError(path, None, problem)))
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else "\t" if "\t" in first else ","
    try:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    except csv.Error as err:
        raise RosterError(path, None, f"not a readable CSV file ({err})") from None
    header_line = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if header_line is None:
        raise RosterError(path, None, "is empty; expected a header row and one row per student")
    columns = [c.strip() for c in rows[header_line]]
    folded = {c.lower(): c for c in columns}

    def column(names: tuple[str, ...]) -> list[str]:
        return [folded[n] for n in names if n in folded]

    id_columns, email_column = column(ID_COLUMNS), (column(EMAIL_COLUMNS) or [None])[0]
    name_column = (column(NAME_COLUMNS) or [None])[0]
    first_name, last_name = (column(FIRST_COLUMNS) or [None])[0], (column(LAST_COLUMNS) or [None])[0]
    variant_column = (column(VARIANT_COLUMNS) or [None])[0]
    if not id_columns and email_column is None:
        raise RosterError(path, header_line + 1, "no column for the student's id or email; expected a header like "
                                                 "\"ID number\", \"Email address\" (Moodle) or \"Student\", \"ID\", "
                                                 f"\"SIS User ID\" (Canvas), got {clip(', '.join(columns), 120)}")
    roster = Roster(path, columns, variant_column=variant_column)
    seen: dict[str, int] = {}
    for index, row in enumerate(rows[header_line + 1:], header_line + 2):
        cells = dict(zip(columns, (c.strip() for c in row)))
        if not any(cells.values()) or cells.get(name_column or "", "").strip().lower() == "points possible":
            continue  # a blank row, or Canvas's "Points Possible" row
        if len(roster.students) >= MAX_STUDENTS:
            raise RosterError(path, index, f"more than {MAX_STUDENTS:,} students; a roster is read up to that")
        name = cells.get(name_column, "") if name_column else " ".join(
            cells.get(c, "") for c in (first_name, last_name) if c).strip()
        student = Student(clip(name, 200), tuple(cells.get(c, "") for c in id_columns),
                          cells.get(email_column, "") if email_column else "",
                          _variant(cells.get(variant_column, "") if variant_column else "", path, index), cells, index)
        key = _fold(student.id)
        if not key:
            raise RosterError(path, index, "a student without an id or email; every row needs one to match files")
        if key in seen:
            raise RosterError(path, index, f"{clip(student.id, 60)!r} is already the student of line {seen[key]}")
        seen[key] = index
        roster.students.append(student)
    if not roster.students:
        raise RosterError(path, None, "holds no students: expected one row per student under the header")
    return roster


def _variant(text: str, path: Path, line: int) -> int | None:
    if not text.strip():
        return None
    try:
        number = int(text.strip())
    except ValueError:
        number = 0
    if number < 1:
        raise RosterError(path, line, f"variant: expected the variant's number (1, 2, …), got {clip(text, 40)!r}")
    return number


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", _fold(text)) if w]


def _same_name(roster_name: str, stated: str) -> bool:
    """``Иванова Анна`` is ``Анна Иванова`` is ``Иванова, Анна``: the same words in any order."""
    words = _words(roster_name)
    return bool(words) and sorted(words) == sorted(_words(stated))


def _names_id(student: Student, name: str) -> bool:
    """Whether ``name`` (a file or folder name) holds one of the student's ids or their email as a whole token."""
    tokens = set(re.split(r"[\s_\-]+", _fold(name))) | {_fold(name)}
    return any(_fold(x) in tokens for x in (*student.ids, student.email) if len(x.strip()) >= 3)


def _starts_with_name(student: Student, name: str) -> bool:
    """Moodle names a submission's folder ``Full Name_1234_assignsubmission_file_``."""
    words = _words(student.name)
    return len(words) >= 2 and _words(name)[:len(words)] == words


def _one(matches: list[Student], how: str) -> tuple[Student | None, str]:
    if len(matches) == 1:
        return matches[0], how
    shown = ", ".join(clip(s.name or s.id, 30) for s in matches[:4])
    return None, f"{how} fits {len(matches)} students of the roster ({shown}): matched by hand"
