"""Is a student's number right? One rule, shared by the grader and the explorer.

With a rounding rule of n decimals an answer is right when, rounded to n
decimals by the exercise's ties rule, it is the expected (rounded) value: "20",
"20.0", "20.00" and "20.004" all answer 20.00; "20.005" rounds to 20.01 and does
not. This is the same rounding that ``canonical`` applies to hashed answer keys,
so the explorer and the grader agree on every answer. Without a rule, the
student's own digits count (at least two): "20.09" answers 20.0855…, "20" does
not. A decimal comma is accepted.

An exercise may relax the rule per quantity (``[grading] tolerance``, see
``Tolerance``): ±1 in the last rounded digit, an absolute or a relative margin.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation

from graphlab.errors import InputError
from graphlab.loading import MAX_DIGITS, to_float
from graphlab.rounding import RoundingPolicy, Ties

MIN_DIGITS = 2
TOLERANCES = ("rounded", "digit", "absolute", "relative")
"""The kinds of ``Tolerance``."""


class AnswerError(InputError):
    """Text that is not a number."""


def parse_answer(text: str) -> Decimal:
    """The number a student wrote: ``-0,05``, ``−0.05`` (Unicode minus), `` 1e-3 ``.

    It must fit a float (``1e999999999`` is refused, not turned into an error
    deep inside the grader) and be written with at most ``MAX_DIGITS`` digits.
    """
    cleaned = text.strip().replace(",", ".").replace("−", "-").replace(" ", "")
    shown = text.strip() if len(text.strip()) <= 40 else text.strip()[:40] + "…"
    if sum(c.isdigit() for c in cleaned) > MAX_DIGITS:
        raise AnswerError(f"{shown!r} has more than {MAX_DIGITS} digits")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise AnswerError(f"{shown!r} is not a number") from None
    if not number.is_finite():
        raise AnswerError(f"{shown!r} is not a finite number")
    try:
        to_float(number)
    except ValueError as err:
        raise AnswerError(str(err)) from None
    return number


@dataclass(frozen=True)
class Tolerance:
    """How close an answer must be: ``rounded`` (the default), ``digit``, ``absolute`` or ``relative``.

    * ``rounded`` — the answer rounds to the expected value (or, in exact mode,
      agrees in the student's own digits);
    * ``digit`` — ±1 in the last rounded digit: 20.01 and 19.99 answer 20.00;
    * ``absolute`` — within ``amount`` of the expected value;
    * ``relative`` — within ``amount`` × |expected| of it.
    """

    kind: str = "rounded"
    amount: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in TOLERANCES:
            raise ValueError(f"tolerance: expected one of {', '.join(TOLERANCES)}, got {self.kind!r}")
        if self.kind in ("absolute", "relative") and not (math.isfinite(self.amount) and self.amount >= 0):
            raise ValueError(f"tolerance: expected a margin of 0 or more, got {self.amount!r}")

    def describe(self) -> str:
        """The rule as a grader states it: ``±0.05``, ``±1 in the last digit``."""
        if self.kind == "digit":
            return "±1 in the last rounded digit"
        if self.kind == "absolute":
            return f"±{self.amount:g}"
        if self.kind == "relative":
            return f"±{100 * self.amount:g} %"
        return "rounds to the expected value"

    def margin(self, expected: float, policy: RoundingPolicy) -> Decimal:
        """The absolute margin around ``expected`` this tolerance accepts (for exports such as Moodle's)."""
        unit = Decimal(1).scaleb(-(MIN_DIGITS if policy.decimals is None else policy.decimals))
        if self.kind == "digit":
            return unit
        if self.kind == "absolute":
            return Decimal(repr(self.amount))
        if self.kind == "relative":
            return Decimal(repr(self.amount)) * abs(Decimal(repr(float(expected))))
        return unit / 2


ROUNDED = Tolerance()


def is_right(expected: float, answer: str | Decimal, policy: RoundingPolicy,
             tolerance: Tolerance = ROUNDED) -> bool:
    """Whether ``answer`` matches ``expected`` under ``policy``'s rounding rule and ``tolerance``."""
    given = answer if isinstance(answer, Decimal) else parse_answer(answer)
    if not math.isfinite(expected):  # a NaN or infinite node of a trace file: no number answers it
        return False
    if tolerance.kind in ("absolute", "relative"):
        target = Decimal(repr(float(expected)))
        return abs(given - target) <= tolerance.margin(expected, policy)
    if policy.decimals is not None:
        rounded = Decimal(canonical(given, policy.decimals, policy.ties))
        target = policy.as_decimal(expected)
        if tolerance.kind == "digit":
            return abs(rounded - target) <= Decimal(1).scaleb(-policy.decimals)
        return rounded == target
    digits = max(MIN_DIGITS, -given.as_tuple().exponent)
    target = Decimal(repr(float(expected)))
    half = Decimal(5).scaleb(-digits - 1)
    return abs(given - target) <= (3 * half if tolerance.kind == "digit" else half)


def canonical(answer: str | Decimal, decimals: int, ties: Ties | str = Ties.AWAY) -> str:
    """The answer as the digits a hashed key stores: rounded to ``decimals`` by the exercise's ties rule.

    "20", "20.0" and "19.996" all read as "20.00" for two decimals, as ``is_right``
    would accept them; "-0.00" is "0.00".
    """
    given = answer if isinstance(answer, Decimal) else parse_answer(answer)
    mode = ROUND_HALF_EVEN if ties == Ties.EVEN else ROUND_HALF_UP
    digits = Context(prec=max(28, given.adjusted() + decimals + 2))  # room for 1e300 to 2 places
    rounded = given.quantize(Decimal(1).scaleb(-decimals), rounding=mode, context=digits)
    return str(rounded.copy_abs() if rounded == 0 else rounded)
