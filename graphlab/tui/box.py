"""A node's box in the text picture: its size, its ports, and what each of its rows holds.

The layout places boxes and routes edges to their ports; the graph view draws
the borders and fills in the numbers. Both read the geometry from here::

    ╭─ ÷ ─────╮   TITLE_ROW: the border, with the op's symbol (or the input's name)
    │v  20.00 │   VALUE_ROW: the forward value; edges leave here, the first input enters here
    │g   1.00 │   GRAD_ROW: the gradient; the second input enters here
    ╰─────────╯   the bottom border
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

HEIGHT = 4
TITLE_ROW, VALUE_ROW, GRAD_ROW = 0, 1, 2
TITLE_START = 3
"""Columns from the box's left edge to its title: ``╭─ ``."""
PREFIXES = {VALUE_ROW: "v ", GRAD_ROW: "g "}
"""What stands before the number in each number row."""
PREFIX_WIDTH = 2
MIN_INNER = 7
"""Narrowest inside of a box, so that short labels still leave room for ``v ·``."""


def inner_width(symbol: str, numbers: Iterable[str]) -> int:
    """Room inside a box for its title and each number with its prefix and an answer's mark (✓ or ✗)."""
    return max(len(symbol) + TITLE_START, *(PREFIX_WIDTH + 1 + len(n) for n in numbers), MIN_INNER)


@dataclass(slots=True)
class Box:
    """Where one node's box stands, in character cells."""

    node: int
    layer: int
    x: int
    y: int
    width: int
    """Outer width, borders included."""

    @property
    def right(self) -> int:
        """The first column after the box."""
        return self.x + self.width

    @property
    def inner(self) -> int:
        """Columns between the two side borders."""
        return self.width - 2

    def in_port(self, index: int) -> int:
        """The row where input ``index`` enters (the first on the value row, any other on the gradient row)."""
        return self.y + (VALUE_ROW if index == 0 else GRAD_ROW)

    @property
    def out_port(self) -> int:
        """The row where the node's edges leave."""
        return self.y + VALUE_ROW

    def border(self, dy: int, symbol: str) -> str:
        """Row ``dy`` of the box as the layout draws it: borders and title, blank where numbers go."""
        if dy == TITLE_ROW:
            return "╭" + (f"─ {symbol} " + "─" * self.inner)[: self.inner] + "╮"
        if dy == HEIGHT - 1:
            return "╰" + "─" * self.inner + "╯"
        return "│" + " " * self.inner + "│"

    def title_columns(self, symbol: str) -> range:
        """The columns the title's text takes (cut at the right border)."""
        start = self.x + TITLE_START
        return range(start, min(start + len(symbol), self.right - 1))

    def number_text(self, dy: int, text: str, shown: bool = True) -> str:
        """The inside of a number row: its prefix (blank where nothing flows) and ``text`` right-aligned."""
        prefix = PREFIXES[dy] if shown else " " * PREFIX_WIDTH
        room = self.inner - PREFIX_WIDTH
        return prefix + text[:room].rjust(room)
