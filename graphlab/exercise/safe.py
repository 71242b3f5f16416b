"""Text from students and lecturers, made safe for where it goes: a file name, a terminal, a spreadsheet.

Names, ids and free text in answers files, rosters and exercise files are
untrusted. Three places would act on them:

* a file name — ``../../x`` or ``/abs/path`` would leave the output folder;
  ``file_name`` keeps one path component, and every writer names its files
  through it;
* a terminal — an escape sequence in a name clears the screen or retitles the
  window; ``terminal`` shows control characters escaped (``\\x1b``);
* a spreadsheet — a cell ``=HYPERLINK(…)`` runs as a formula in Excel or
  LibreOffice; ``csv_cell`` quotes a cell that starts with ``= + - @`` (or a
  tab or carriage return) as text, as OWASP recommends, unless it is a plain
  number such as ``-40.00``.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 80
"""Longest file-name stem written for a student or an exercise (characters)."""

_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u200e\u200f\u202a-\u202e\u2066-\u2069]+')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def file_name(text: str, fallback: str = "unnamed") -> str:
    """``text`` as one safe path component: no separators, no control characters, no leading dot.

    ``"../../x"`` → ``"x"``, ``"/abs/path"`` → ``"abs_path"``, ``"Иванова А."`` stays
    readable (``"Иванова А"``); Windows' reserved names (``CON``, ``NUL``) get a
    leading underscore. An empty result is ``fallback``.
    """
    name = unicodedata.normalize("NFC", str(text))
    name = _UNSAFE_IN_NAME.sub("_", name)
    name = re.sub(r"_*\.\.+_*", "_", name)  # no "..", whatever surrounds it
    name = re.sub(r"\s+", " ", name).strip(" ._")
    name = re.sub(r"_+", "_", name)
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    name = name[:MAX_NAME].rstrip(" .")
    return name or fallback


def is_file_name(text: str) -> bool:
    """Whether ``text`` is already a safe path component (``file_name`` leaves it as it is)."""
    return bool(text) and file_name(text, fallback="") == text


def terminal(text: str) -> str:
    """``text`` for a terminal: control and bidirectional-override characters shown escaped.

    Newlines and tabs are escaped too when ``text`` is one field of a line (a
    name, an answer): they would break the line a grader reads.
    """
    return _CONTROL.sub(_escaped, str(text)).replace("\n", "\\n").replace("\t", "\\t")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def csv_cell(value: object) -> object:
    """``value`` for a CSV cell a spreadsheet opens: text that would start a formula is quoted with ``'``.

    Numbers and plain numbers as text (``-40.00``, ``-0,5``) pass unchanged, so
    numeric columns stay numeric; control characters are escaped as for a terminal.
    """
    if not isinstance(value, str):
        return value
    text = terminal(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def clip(text: str, width: int = 60) -> str:
    """``text`` shortened to ``width`` characters with an ellipsis, for messages about hostile input."""
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"
