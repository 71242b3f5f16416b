"""What every loader of an untrusted file checks first: size, encoding, digits, nesting, numbers.

Exercise files, answers, hashed keys and traces come from students and
lecturers, so a file is refused with a message before it can cost a traceback,
a hang or gigabytes: it is read only up to a size, numbers are read only up to
a number of digits (Python's ``int()`` is quadratic in them), nesting is limited
(the parsers recurse), and a number that a float cannot hold — too large, or so
small that it would silently become 0 — is refused rather than rounded away.
"""

from __future__ import annotations

import math
import re
import sys
import tomllib
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

MAX_TEXT_BYTES = 1 << 20
"""Largest exercise, answers or key file read (1 MiB; a real one is a few KiB)."""
MAX_DIGITS = 100
"""Most digits one number may be written with, in a file or on the command line."""
MAX_NESTING = 16
"""Deepest nesting of tables and arrays in a TOML file (real files use 2)."""
SMALLEST = sys.float_info.min
"""The smallest magnitude a float holds at full precision (2.2e-308); a non-zero number below it is refused."""

_LONG_NUMBER = re.compile(rf"[0-9][0-9_]{{{MAX_DIGITS},}}")


def read_bytes(path: Path, fail: Callable[[str], Exception], limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of ``path``, read only up to ``limit``; ``fail(problem)`` is raised otherwise."""
    try:
        with open(path, "rb") as file:
            data = file.read(limit + 1)
    except IsADirectoryError:
        raise fail("is a folder, not a file") from None
    except FileNotFoundError:
        raise fail("no such file") from None
    except OSError as err:
        raise fail(f"cannot be read ({err.strerror})") from None
    if len(data) > limit:
        raise fail(f"is larger than {limit:,} bytes; a file of this kind is read only up to that size")
    return data


def read_text(path: Path, fail: Callable[[str], Exception], limit: int = MAX_TEXT_BYTES) -> str:
    """The UTF-8 text of ``path`` (a byte-order mark is dropped); ``fail(problem)`` is raised otherwise."""
    data = read_bytes(path, fail, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise fail(f"is not UTF-8 text (byte {err.start + 1}, line {line})") from None


def is_file(path: Path) -> bool:
    """``Path.is_file`` that answers False for text no file could be named (too long for a path)."""
    try:
        return path.is_file()
    except OSError:
        return False


def long_number(text: str) -> tuple[int, int] | None:
    """(line, digits) of the first number written with more than ``MAX_DIGITS`` digits, if any."""
    match = _LONG_NUMBER.search(text)
    if match is None:
        return None
    return text.count("\n", 0, match.start()) + 1, len(match.group().replace("_", ""))


def too_many_digits(digits: int) -> str:
    return f"a number written with {digits} digits; at most {MAX_DIGITS} are read"


def load_toml(text: str, fail: Callable[[int | None, str], Exception]) -> dict[str, Any]:
    """TOML ``text`` with every float as an exact ``Decimal``; ``fail(line, problem)`` is raised otherwise."""
    found = long_number(text)
    if found:
        raise fail(found[0], too_many_digits(found[1]))
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise fail(None, f"tables and arrays nested {depth} deep; at most {MAX_NESTING} levels are read")
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as err:
        match = re.search(r"line (\d+)", str(err))
        raise fail(int(match.group(1)) if match else None, f"not valid TOML: {err}") from None
    except (ValueError, ArithmeticError, RecursionError, MemoryError) as err:  # int(), Decimal(), recursion
        raise fail(None, f"not valid TOML: {_shown(str(err) or type(err).__name__)}") from None


def nesting_depth(text: str) -> int:
    """An upper bound of how deep ``[``/``{`` nest (brackets inside strings count too: a bound, cheaply)."""
    depth = deepest = 0
    for char in re.sub(r"[^\[\]{}]", "", text):
        depth = depth + 1 if char in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def to_float(value: Any) -> float:
    """``value`` (an int, a float or a ``Decimal``) as a float; ``ValueError`` saying why where it cannot be one.

    Refused: booleans, NaN and infinities, numbers beyond a float's range, and
    non-zero numbers so small that a float would lose them (``1e-400`` is not 0).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"expected a number, got {_shown(value)}")
    if value != value or (isinstance(value, Decimal) and value.is_infinite()):
        raise ValueError(f"{_shown(value)} is not a finite number")
    try:
        number = float(value)
    except OverflowError:  # an int beyond a float's range
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"{_shown(value)} is too large: a float holds at most ±{sys.float_info.max:.3g}")
    if value != 0 and abs(number) < SMALLEST:
        raise ValueError(f"{_shown(value)} is too small for a float (it would read as {number:g}); "
                         f"non-zero numbers start at ±{SMALLEST:.3g}")
    return number


def parse_float(text: str) -> float:
    """A number typed by a user (``-1.5``, ``1e-3``, ``−2`` with a Unicode minus), checked as ``to_float`` checks it."""
    cleaned = text.strip().replace("−", "-").replace("_", "")
    digits = sum(c.isdigit() for c in cleaned)
    if digits > MAX_DIGITS:
        raise ValueError(too_many_digits(digits))
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    return to_float(number)


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, Decimal) else str(value)
    return text if len(text) <= 40 else text[:40] + "…"
