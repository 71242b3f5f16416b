"""What grading a class writes: the lecturer's scores, a gradebook to import, a feedback file per student.

* ``scores_csv`` — every row of the class (graded, flagged, unreadable, absent)
  with its points, verdicts, flags and errors: what the lecturer reads.
* ``gradebook_csv`` — the points of the graded files in the import format of
  Moodle ("Import grades from CSV": an identifier column — ``ID number`` or
  ``Email address`` — and a grade column, with an optional feedback column) or
  Canvas (its gradebook columns ``Student, ID, SIS User ID, SIS Login ID,
  Section`` and a ``Points Possible`` row). Flagged and unreadable files are
  left out: their points need a look before they go to a gradebook.
* ``feedback_files`` — one Markdown file per graded file, in the exercise's language.

CSV files are UTF-8 with a byte-order mark (so Excel reads Cyrillic) and CRLF
line ends; every text cell from a student's file is made safe for a
spreadsheet (``safe.csv_cell``) and every file name comes from ``safe.file_name``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from graphlab.exercise.classroom import ClassGrades, Row
from graphlab.exercise.feedback import to_markdown
from graphlab.exercise.roster import CANVAS_COLUMNS
from graphlab.exercise.safe import csv_cell, file_name

LMS = ("moodle", "canvas")
SCORE_COLUMNS = ("file", "student", "id", "email", "variant", "status", "points", "max_points", "score", "right",
                 "carried", "asked", "wrong", "missing", "unreadable", "flags", "hint", "error")


def scores_csv(grades: ClassGrades) -> bytes:
    """Every row of the class, for the lecturer."""
    rows = []
    for row in grades.rows:
        grade = row.grade
        cells = {"file": row.file, "student": row.student, "id": row.student_id, "email": row.email,
                 "variant": row.variant or "", "status": row.status, "flags": "; ".join(row.flags),
                 "error": row.error}
        if grade is not None:
            cells.update(points=f"{grade.points:g}", max_points=f"{grade.max_points:g}", score=f"{grade.score:.2f}",
                         right=grade.right, carried=grade.carried, asked=grade.asked,
                         wrong=" ".join(grade.keys("wrong")), missing=" ".join(grade.keys("missing")),
                         unreadable=" ".join(grade.keys("unreadable")), hint=grade.hint or "")
            if grade.notes or grade.ungraded:
                cells["error"] = "; ".join(filter(None, [row.error, *grade.ungraded, *grade.notes]))
        rows.append([cells.get(c, "") for c in SCORE_COLUMNS])
    return _csv([list(SCORE_COLUMNS), *rows])


def gradebook_csv(grades: ClassGrades, lms: str, item: str, points: float | None = None,
                  per_quantity: bool = False) -> bytes:
    """The graded rows' points in ``lms``'s import format, as item ``item`` worth ``points`` (the exercise's own by
    default); ``per_quantity`` adds a column per asked quantity."""
    if lms not in LMS:
        raise ValueError(f"unknown gradebook format {lms!r}; choose from {', '.join(LMS)}")
    graded = [r for r in grades.rows if r.status == "graded"]
    keys = list(dict.fromkeys(m.quantity.key for r in graded for m in r.grade.marks if m.scored)) \
        if per_quantity else []
    total = points if points is not None else max((r.grade.max_points for r in graded), default=0.0)

    def scaled(row: Row, value: float) -> str:
        maximum = row.grade.max_points
        return _number(value * total / maximum if maximum else 0.0)

    def by_quantity(row: Row) -> list[str]:
        marks = {m.quantity.key: m for m in row.grade.marks if m.scored}
        return [scaled(row, marks[k].points) if k in marks else "" for k in keys]

    if lms == "moodle":
        header = ["ID number", "Email address", "Full name", item, *(f"{item}: {k}" for k in keys), "Feedback"]
        body = [[row.student_id, row.email, row.student, scaled(row, row.grade.points), *by_quantity(row),
                 _summary(row)] for row in graded]
        return _csv([header, *body])
    header = [*CANVAS_COLUMNS, item, *(f"{item}: {k}" for k in keys)]
    weights = {m.quantity.key: m.weight for r in graded for m in r.grade.marks if m.scored}
    maximum = max((r.grade.max_points for r in graded), default=0.0)
    possible = ["Points Possible", "", "", "", "", _number(total),
                *(_number(weights[k] * total / maximum if maximum else 0.0) for k in keys)]
    body = []
    for row in graded:
        known = row.roster.row if row.roster is not None else {}
        identity = [known.get("Student", row.student), known.get("ID", row.student_id),
                    known.get("SIS User ID", ""), known.get("SIS Login ID", row.email), known.get("Section", "")]
        body.append([*identity, scaled(row, row.grade.points), *by_quantity(row)])
    return _csv([header, possible, *body])


def feedback_files(grades: ClassGrades, languages: Sequence[str] | None = None,
                   show_expected: bool = True) -> dict[str, bytes]:
    """``{file name: Markdown}``, one per graded or flagged file that was graded, named after the student."""
    files: dict[str, bytes] = {}
    for row in grades.rows:
        if row.grade is None:
            continue
        stem = file_name(row.student_id or row.student or row.file, "student")
        name, n = f"{stem}.md", 1
        while name in files:
            n += 1
            name = f"{stem}-{n}.md"
        files[name] = to_markdown(row.grade, languages, show_expected, row.flags).encode()
    return files


def _summary(row: Row) -> str:
    """A one-line feedback for a gradebook cell: the score and the quantities not right."""
    grade = row.grade
    parts = [f"{grade.points:g}/{grade.max_points:g}"]
    for status in ("wrong", "missing", "unreadable"):
        keys = grade.keys(status)
        if keys:
            parts.append(f"{status}: {', '.join(keys)}")
    return "; ".join(parts)


def _number(value: float) -> str:
    return f"{round(value, 2):g}"


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
