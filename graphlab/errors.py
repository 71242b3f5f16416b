"""The errors bad input raises: one base the command line catches, one type per kind of input.

Every loader checks its file whole before anything uses it and raises its own
``FileFormatError`` subclass (``ExerciseError``, ``AnswerFileError``,
``KeyFileError``, ``TraceError``, ``CheckpointError``), whose message reads
``file:line: where: what was expected``. A formula raises ``FormulaError``
with a caret under the column. All of them are ``InputError``s, so a caller
that shows bad input to a user catches one type.
"""

from __future__ import annotations

import os


class InputError(ValueError):
    """Input graphlab cannot use — a formula, a number, a file: the message names the place and what was expected."""


class FileFormatError(InputError):
    """A file that does not hold what its format promises: ``file:line: where: what was expected``."""

    def __init__(self, path: str | os.PathLike, where: str | None, problem: str, line: int | None = None):
        self.path, self.where, self.problem, self.line = str(path), where, problem, line
        location = f"{self.path}:{line}" if line else self.path
        super().__init__(": ".join(part for part in (location, where, problem) if part))
