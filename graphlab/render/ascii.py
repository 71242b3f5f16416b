"""ASCII stand-ins for the characters graphlab prints, for streams that cannot encode them.

Box lines become ``+ - |`` (one column each, so tables stay aligned), ∂ becomes
``d``, − ``-``, Cyrillic is transliterated (``Вариант`` → ``Variant``), other
letters lose their accents (``é`` → ``e``); what has no stand-in becomes ``?``.
"""

from __future__ import annotations

import unicodedata

_BOX = {**dict.fromkeys("─━═┄┈╌▔", "-"), **dict.fromkeys("│┃║┆┊╎", "|")}
_SYMBOLS = {
    "∂": "d", "−": "-", "×": "*", "÷": "/", "·": "*", "√": "sqrt", "σ": "sigma", "²": "^2", "³": "^3",
    "≈": "~", "→": "->", "←": "<-", "▶": ">", "◀": "<", "✓": "v", "✗": "x", "–": "-", "—": "-",
    "…": "...", "μ": "mu", "α": "alpha", "β": "beta", "λ": "lambda", "π": "pi", "φ": "phi", "Φ": "Phi",
    "ₜ": "_t", "½": "1/2", "«": '"', "»": '"', "“": '"', "”": '"', "‘": "'", "’": "'", "≤": "<=", "≥": ">=",
}
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", '"', "y", "'", "e", "yu", "ya"]))


def ascii_stand_in(char: str) -> str:
    """What ``char`` is written as on a stream that cannot encode it."""
    if char in _SYMBOLS:
        return _SYMBOLS[char]
    if char in _BOX:
        return _BOX[char]
    if 0x2500 <= ord(char) <= 0x257F:  # any other box-drawing corner or junction
        return "+"
    if char.lower() in _CYRILLIC:  # the lecture's language: "Вариант" as "Variant"
        latin = _CYRILLIC[char.lower()]
        return latin.capitalize() if char.isupper() else latin
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return plain or "?"


def to_ascii(text: str) -> str:
    """``text`` with every non-ASCII character replaced by its stand-in."""
    return "".join(char if char.isascii() else ascii_stand_in(char) for char in text)
