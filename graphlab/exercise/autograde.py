"""``graphlab.check(exercise, answers)``: grade answers from Python, for notebooks and autograders such as nbgrader.

::

    import graphlab
    result = graphlab.check("variant-2", {"f": 20, "df/dx0": "40,00", "df/dx1": -40})
    result.score        # 0.6: points over the points possible
    result.passed()     # False: not every point
    result              # in a notebook: a table of every answer, as the feedback files show it

In an nbgrader test cell, ``assert graphlab.check(EXERCISE, answers).passed()``
fails the cell with the student's mistakes named, or
``points = graphlab.check(...).points`` feeds a manually graded cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from graphlab.exercise.answers import Answers, add_answer, read_answers
from graphlab.exercise.file import Exercise
from graphlab.exercise.grading import Grade, grade


def check(exercise: Exercise | str | Path, answers: Mapping[str, object] | Answers | str | Path, *,
          variant: int | None = None, seed: int | str | None = None, student: str = "answers") -> Grade:
    """Grade ``answers`` against ``exercise`` (or its ``variant`` drawn with ``seed``); the ``Grade``.

    ``exercise`` is an ``Exercise``, a bundled exercise's id or a ``.toml`` file;
    ``answers`` a mapping of quantities to numbers (``{"f": 20, "df/dx0": "40,00"}``,
    see ``graphlab.exercise.steps`` for the names), an ``Answers``, or an answers
    file. A quantity that is not a number costs that quantity only, as in a file.
    """
    from graphlab.exercise import load  # lazy: drawing loads the variant checks

    exercise = exercise if isinstance(exercise, Exercise) else load(exercise)
    if variant is not None:
        from graphlab.exercise.variants import variant as nth  # lazy: drawing loads the variant checks

        if seed is None:
            raise ValueError(f"variant {variant}: give the seed the variants were drawn with (seed=…)")
        exercise = nth(exercise, variant, seed).exercise
    if isinstance(answers, (str, Path)):
        answers = read_answers(answers)
    elif not isinstance(answers, Answers):
        given = Answers(Path(student), student, variant=variant)
        for name, value in answers.items():
            add_answer(given, str(name), value, None)
        answers = given
    return grade(exercise, answers, variant)
