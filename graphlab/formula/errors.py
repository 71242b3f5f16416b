"""One error for a formula that cannot be read, pointing at the place."""

from __future__ import annotations

from graphlab.errors import InputError


class FormulaError(InputError):
    """A formula that cannot be parsed or built: what is wrong, where, and what was expected.

    ``str()`` shows the message, the formula and a caret under the column::

        column 6: expected a number, a name or '(' after '/'
          x0 / * y0
               ^
    """

    def __init__(self, message: str, text: str = "", column: int | None = None):
        self.message = message
        self.text = text
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        if self.column is None or not self.text:
            return self.message
        line = self.text.replace("\n", " ").replace("\t", " ").replace("\0", "␀")
        if len(line) > 100:  # keep a window around the spot
            start = max(0, self.column - 50)
            line, caret = "…" + line[start:start + 100] + "…", self.column - start + 1
        else:
            caret = self.column
        return f"column {self.column + 1}: {self.message}\n  {line}\n  {' ' * caret}^"
