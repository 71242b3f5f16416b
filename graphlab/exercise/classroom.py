"""Grading a class: every file of a folder gets a row, graded or flagged with the reason.

A folder is what a lecturer downloads: answers files side by side, or one
folder per student (Moodle's "download all submissions"). Each file is read
and graded on its own, so one broken or hostile file costs its own row only.
A row is

* **graded** — the file was graded against its student's variant;
* **flagged** — graded but worth a look (the file's variant is not the
  roster's, the answers are another variant's, it is identical to another
  file), or not graded because it cannot be trusted (no variant where variants
  were handed out, a variant never handed out, a student not on the roster);
* **unreadable** — not an answers file, or one that cannot be read at all.

Across the class: a file that matches another variant better than its own is
flagged ("these answers are Вариант 17's"), identical answers with mistakes
in them are flagged, and a class where most files match other variants gets
a warning about the seed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from graphlab.errors import InputError
from graphlab.exercise.answers import SUFFIXES, Answers, read_answers
from graphlab.exercise.check import canonical
from graphlab.exercise.file import Exercise
from graphlab.exercise.grading import Grade, Solution, grade
from graphlab.exercise.language import say
from graphlab.exercise.roster import Roster, Student
from graphlab.exercise.safe import clip

MAX_FILES = 5_000
"""Most files a class folder may hold (a class is tens to hundreds)."""
MAX_DEPTH = 2
"""Files are read from the folder and from its subfolders (one per student), not deeper."""


@dataclass
class Row:
    """One file of the class folder (or one student of the roster who handed nothing in)."""

    file: str
    status: str  # "graded", "flagged", "unreadable" or "absent"
    student: str = ""
    student_id: str = ""
    email: str = ""
    variant: int | None = None
    grade: Grade | None = None
    flags: list[str] = field(default_factory=list)
    error: str = ""
    answers: Answers | None = None
    roster: Student | None = None
    digest: str = ""

    def flag(self, reason: str) -> None:
        self.flags.append(reason)
        if self.status == "graded":
            self.status = "flagged"


@dataclass
class ClassGrades:
    """Every row, and the warnings about the class as a whole."""

    rows: list[Row]
    warnings: list[str] = field(default_factory=list)

    @property
    def graded(self) -> list[Row]:
        return [r for r in self.rows if r.grade is not None]

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.rows)


@dataclass
class Setup:
    """What the lecturer told the grader: the exercise, how its variants were drawn, the roster."""

    exercise: Exercise
    seed: str | None = None
    variant: int | None = None  # one variant for every file
    count: int | None = None  # variants 1 … count were handed out
    roster: Roster | None = None
    _solutions: dict[int | None, Solution] = field(default_factory=dict)

    @property
    def handed_out(self) -> set[int] | None:
        """The variants handed out, when known: the roster's, or 1 … ``count``."""
        if self.roster is not None and self.roster.variants:
            return self.roster.variants
        return set(range(1, self.count + 1)) if self.count else None

    def solution(self, number: int | None) -> Solution:
        """The exercise at variant ``number`` (None: as written), solved once."""
        if number not in self._solutions:
            from graphlab.exercise.variants import variant  # lazy: drawing loads the engine's checks

            exercise = self.exercise if number is None else variant(self.exercise, number, self.seed).exercise
            self._solutions[number] = Solution(exercise)
        return self._solutions[number]

    def solutions(self, last: int) -> dict[int, Solution]:
        """Variants 1 … ``last`` (fewer where the ranges hold fewer), solved once and drawn together:
        one walk per set of 50, not one per variant."""
        from graphlab.exercise.variants import distinct  # lazy: drawing loads the engine's checks

        if any(n not in self._solutions for n in range(1, last + 1)):
            for drawn in distinct(self.exercise, last, self.seed):
                self._solutions.setdefault(drawn.number, Solution(drawn.exercise))
        return {n: self._solutions[n] for n in range(1, last + 1) if n in self._solutions}

    @property
    def first_set(self) -> int:
        """The variants worth drawing up front: the first set of 50, and every one handed out."""
        from graphlab.exercise.variants import MAX_COUNT, SET_SIZE  # lazy: drawing loads the engine's checks

        return min(MAX_COUNT, max([SET_SIZE, self.count or 0, *(self.handed_out or ())]))

    def title(self, number: int) -> str:
        return f"{say('variant', self.exercise.languages[:1])} {number}"


def files_in(folder: Path) -> list[Path]:
    """Every file of ``folder`` and of its subfolders, in name order; links and deeper folders are listed too."""
    found: list[Path] = []
    stack = [(folder, 1)]
    while stack:
        current, depth = stack.pop()
        for entry in sorted(current.iterdir(), key=lambda p: p.name, reverse=True):
            if entry.is_dir() and not entry.is_symlink() and depth < MAX_DEPTH:
                stack.append((entry, depth + 1))
            else:
                found.append(entry)
            if len(found) > MAX_FILES:
                raise InputError(f"{folder}: more than {MAX_FILES:,} files; a class folder is read up to that many")
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def grade_folder(setup: Setup, folder: Path) -> ClassGrades:
    """Grade every file of ``folder`` (see the module's docstring for what each row says)."""
    paths = files_in(folder)
    if setup.seed is not None and setup.variant is None:
        setup.solutions(setup.first_set)  # drawn together: far cheaper than one variant at a time
    rows = [grade_file(setup, path, path.relative_to(folder).as_posix()) for path in paths]
    result = ClassGrades(rows)
    if setup.roster is not None:
        found = {id(r.roster) for r in rows if r.roster is not None}
        rows += [Row("", "absent", s.name, s.id, s.email, s.variant, roster=s,
                     error="no file from this student") for s in setup.roster.students if id(s) not in found]
    _other_variants(setup, result)
    _identical(result)
    return result


def grade_file(setup: Setup, path: Path, name: str) -> Row:
    """One file's row: read, matched to its student and variant, graded or flagged."""
    row = Row(name, "unreadable")
    if path.is_symlink() or not path.is_file():
        row.error = "a link or a folder nested too deep, not a file: not read" if path.exists() or path.is_symlink() \
            else "no longer there"
        return row
    if path.suffix.lower() not in SUFFIXES:
        row.error = f"not an answers file ({path.suffix or 'no suffix'}); answers are {', '.join(SUFFIXES)} files"
        return row
    try:
        answers = read_answers(path)
    except InputError as err:
        row.error = str(err)
        return row
    row.answers, row.student, row.student_id, row.email = answers, answers.student, answers.student_id or "", \
        answers.email or ""
    row.digest = hashlib.sha256(path.read_bytes()).hexdigest()
    number, reason = _variant_of(setup, answers, path, row)
    if reason is not None:
        row.status = "flagged"
        row.flags.append(reason)
        return row
    row.variant = number
    try:
        row.grade = grade(setup.solution(number).exercise, answers, number, setup.solution(number))
    except InputError as err:
        row.status, row.error = "unreadable", str(err)
        return row
    except Exception as err:  # one file must never stop the class: its row says it is a bug to report
        row.status, row.error = "unreadable", f"graphlab could not grade this file ({type(err).__name__}: " \
                                              f"{clip(str(err), 80)}); please report it"
        return row
    if row.roster is not None:
        row.grade.student = row.student  # the roster's name, not the file's
    row.status = "flagged" if row.flags else "graded"
    if row.grade.ungraded:
        row.flag(f"{len(row.grade.ungraded)} line(s) not graded: " + "; ".join(row.grade.ungraded[:3])
                 + (" …" if len(row.grade.ungraded) > 3 else ""))
    if not answers.values:
        row.flag("no answers in the file")
    return row


def _variant_of(setup: Setup, answers: Answers, path: Path, row: Row) -> tuple[int | None, str | None]:
    """The variant to grade ``answers`` against, or (None, why the file is not graded)."""
    stated = answers.variant
    number = setup.variant or stated
    if setup.roster is not None:
        student, how = setup.roster.find(answers, path)
        if student is None:
            if number is None:
                return None, f"{how}: not graded"
            row.flags.append(f"{how}; graded as the file's {setup.title(number)}")
        else:
            row.roster, row.student, row.student_id, row.email = student, student.name, student.id, student.email
            if student.variant is not None:
                if stated is not None and stated != student.variant:
                    row.flags.append(f"the file says {setup.title(stated)}, the roster gives "
                                     f"{setup.title(student.variant)}: graded as {setup.title(student.variant)}")
                number = student.variant
    if setup.seed is None:
        if number is not None:
            return None, f"the file says {setup.title(number)}, but no --seed says how the variants were drawn: " \
                         "not graded"
        return None, None
    if number is None:
        return None, "no variant: the file has no `variant = N` line and the roster gives none; not graded " \
                     "against the exercise as written"
    handed_out = setup.handed_out
    if handed_out is not None and number not in handed_out:
        return None, f"{setup.title(number)} was never handed out ({_ranges(handed_out)}): not graded"
    from graphlab.exercise.variants import MAX_COUNT  # lazy: drawing loads the engine's checks

    if not 1 <= number <= MAX_COUNT:
        return None, f"{setup.title(number)}: variants are numbered 1 to {MAX_COUNT}; not graded"
    return number, None


def _other_variants(setup: Setup, result: ClassGrades) -> None:
    """Flag files whose answers fit another variant better than their own; warn about the seed.

    Every variant of the first set (1–50), of ``--count`` and of the roster is
    tried: a copy may come from a variant handed out to another group.
    """
    if setup.seed is None or setup.variant is not None:
        return
    graded = [r for r in result.rows if r.grade is not None and r.grade.right < r.grade.asked]
    if not graded:
        return
    candidates = setup.solutions(setup.first_set)  # a copy may come from a variant handed out to another group
    others = 0
    for row in graded:
        own = row.grade.right
        best, number = own, None
        for other, solution in candidates.items():
            if other == row.variant:
                continue
            right = solution.count_right(row.answers)
            if right > best:
                best, number = right, other
        if number is not None and 2 * best >= row.grade.asked:
            others += 1
            row.flag(f"these answers are {setup.title(number)}'s ({best}/{row.grade.asked} right there, "
                     f"{own}/{row.grade.asked} for {setup.title(row.variant)})")
    if len(result.graded) >= 3 and 2 * others > len(result.graded):
        result.warnings.append(f"{others} of {len(result.graded)} graded files match other variants than their own: "
                               f"were the variants drawn with --seed {setup.seed}? Grade with the seed the "
                               "handouts were made with.")


def _identical(result: ClassGrades) -> None:
    """Flag files with the same answers when a mistake is among them (copied work), and files with the same
    bytes when a mistake or a student's name is among them."""
    by_answers: dict[tuple, list[Row]] = defaultdict(list)
    by_bytes: dict[str, list[Row]] = defaultdict(list)
    for row in result.rows:
        if row.answers is None:
            continue
        numbers = tuple(sorted((key, canonical(a.number, 6)) for key, a in row.answers.values.items() if a.readable))
        mistaken = row.grade is not None and row.grade.right < row.grade.asked
        if mistaken or row.answers.named:  # right answers in a nameless file may well be typed alike
            by_bytes[row.digest].append(row)
        if len(numbers) >= 2 and mistaken:
            by_answers[numbers].append(row)
    for group in by_bytes.values():
        if len(group) > 1:
            for row in group:
                row.flag("the same file as " + ", ".join(r.file for r in group if r is not row))
    for group in by_answers.values():
        if len(group) > 1:
            for row in group:
                if not any(f.startswith("the same file") for f in row.flags):
                    row.flag("identical answers, mistakes included, to " + ", ".join(r.file for r in group
                                                                                     if r is not row))


def _ranges(numbers: set[int]) -> str:
    """``{1, 2, 3, 7}`` → ``1–3, 7``."""
    ordered = sorted(numbers)
    parts, start = [], ordered[0]
    for previous, current in zip(ordered, ordered[1:] + [None]):
        if current != previous + 1 if current is not None else True:
            parts.append(f"{start}–{previous}" if previous > start else str(start))
            start = current
    return ", ".join(parts)
