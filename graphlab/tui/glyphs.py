"""Box-drawing glyphs for lines in the text pictures, shared by the graph and the tensor view.

A cell of a line says which of its four sides the line leaves by, as bits; the
glyph is the one that joins those sides (``DOWN | RIGHT`` is ``╭``).
"""

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8

GLYPHS = {
    LEFT | RIGHT: "─", LEFT: "─", RIGHT: "─", UP | DOWN: "│", UP: "│", DOWN: "│",
    DOWN | RIGHT: "╭", DOWN | LEFT: "╮", UP | RIGHT: "╰", UP | LEFT: "╯",
    UP | DOWN | RIGHT: "├", UP | DOWN | LEFT: "┤", DOWN | LEFT | RIGHT: "┬",
    UP | LEFT | RIGHT: "┴", UP | DOWN | LEFT | RIGHT: "┼",
}
