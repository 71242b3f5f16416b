"""A grade as the student reads it: Markdown in the exercise's language, for a feedback file or a notebook.

The verdicts and the points are the grader's; a wrong answer's explanation
(a sign, a missing contribution, another rounding convention) and a carried
step's "right for your -3.10 (#6)" are shown as the grader wrote them. Every
name and answer from the student's file is shown as text: Markdown's special
characters and control characters are escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphlab.exercise.grading import Grade
from graphlab.exercise.language import languages_for, rounding, say
from graphlab.exercise.safe import terminal
from graphlab.render.tables import markdown_escape


def to_markdown(grade: Grade, languages: Sequence[str] | None = None, show_expected: bool = True,
                flags: Sequence[str] = ()) -> str:
    """The feedback for one graded file: title, score, a table of every answer, notes and flags."""
    exercise = grade.exercise
    languages = tuple(languages or languages_for(None, exercise.languages[:1]))
    policy = exercise.policy
    title = exercise.title + (f" · {say('variant', languages)} {grade.variant}" if grade.variant else "")
    lines = [f"# {_text(grade.student)}: {_text(title)}", "",
             f"**{say('score', languages)}: {grade.points:g} / {grade.max_points:g} ({100 * grade.score:.0f} %)** · "
             f"{_text(rounding(policy, languages))}", ""]
    header = ["", say("quantity", languages), say("answer", languages)]
    header += [say("expected", languages)] if show_expected else []
    header += [say("comment", languages)]
    lines += ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for mark in grade.marks:
        sign = {"right": "✓", "carried": "✓", "wrong": "✗", "missing": "–", "unreadable": "?"}[mark.status]
        comment = say(mark.status, languages)
        if not mark.scored:
            comment += f" ({say('not_scored', languages)})"
        elif mark.weight != 1:
            comment += f" · {mark.points:g}/{mark.weight:g}"
        if mark.hint:
            comment += ": " + " / ".join(dict.fromkeys(_said(mark.hint, language) for language in languages))
        row = [sign, _text(mark.quantity.label), _text(mark.answer or "")]
        row += [policy.format(mark.quantity.value)] if show_expected else []
        row += [_text(comment)]
        lines.append("| " + " | ".join(row) + " |")
    overall = [" / ".join(dict.fromkeys(_said(grade.hint, language) for language in languages))] if grade.hint else []
    notes = [*flags, *grade.ungraded, *grade.notes, *overall]
    if notes:
        lines += ["", f"**{say('notes', languages)}**", ""] + [f"- {_text(note)}" for note in notes]
    return "\n".join(lines) + "\n"


def _said(hint: str, language: str) -> str:
    """A grader's hint in ``language`` where it has one (``grading.Hint``), else as written."""
    return hint.say(language) if hasattr(hint, "say") else str(hint)


def _text(text: str) -> str:
    """Student text shown literally in Markdown, one line, control characters escaped."""
    return markdown_escape(terminal(text))
