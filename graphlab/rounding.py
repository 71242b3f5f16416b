"""Rounding as a policy of the computation, not a format of its printout.

A graded exercise says "round every intermediate and final result to 2
decimals". Teachers read that sentence differently, so each reading is a
``convention`` of one ``RoundingPolicy``:

=============  ===========  ================  ===========  =============
convention     forward      local derivative  upstream ×   final answers
               values                         local
=============  ===========  ================  ===========  =============
every_node     rounded      from rounded      rounded      rounded
               (flows on)   values, exact
local_too      rounded      rounded           rounded      rounded
forward_only   rounded      from rounded      exact        rounded
                            values, exact
final_only     exact        exact             exact        rounded
=============  ===========  ================  ===========  =============

``every_node`` is the default: it is how the lecture's worked solutions are
computed. Inputs and literal constants are always used as given. A node's
gradient is the sum of its (rounded) contributions.

Ties are broken on the *decimal* value a student sees, never on the binary
float: ``ties="away"`` (the school rule: 0.125 → 0.13, 2.675 → 2.68,
−0.125 → −0.13) or ``ties="even"`` (banker's rounding: 0.125 → 0.12). Float
noise beyond fifteen significant digits (a double's reliable precision) is cleared first, so 0.7·0.15 rounds as
the 0.105 it is meant to be.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from typing import Literal

Convention = Literal["every_node", "local_too", "forward_only", "final_only"]
CONVENTIONS: tuple[str, ...] = ("every_node", "local_too", "forward_only", "final_only")
Ties = Literal["away", "even"]

_NOISE = Context(prec=15)
_MODES = {"away": ROUND_HALF_UP, "even": ROUND_HALF_EVEN}  # Decimal's HALF_UP is away from zero


def round_decimal(x: float, decimals: int, ties: Ties = "away") -> Decimal:
    """``x`` rounded to ``decimals`` places on its decimal value, as a ``Decimal``."""
    cleaned = _NOISE.create_decimal(repr(float(x)))
    digits = Context(prec=max(28, cleaned.adjusted() + decimals + 2))  # room for 1e300 to 2 places
    rounded = cleaned.quantize(Decimal(1).scaleb(-decimals), rounding=_MODES[ties], context=digits)
    return rounded.copy_abs() if rounded == 0 else rounded  # no "-0.00"


@dataclass(frozen=True)
class RoundingPolicy:
    """How an exercise wants numbers rounded; ``decimals=None`` keeps full precision."""

    decimals: int | None = None
    convention: Convention = "every_node"
    ties: Ties = "away"

    def __post_init__(self) -> None:
        if self.decimals is not None and not (isinstance(self.decimals, int) and 0 <= self.decimals <= 12):
            raise ValueError(f"rounding: decimals must be a whole number from 0 to 12, got {self.decimals!r}")
        if self.convention not in CONVENTIONS:
            raise ValueError(f"rounding: convention must be one of {', '.join(CONVENTIONS)}, got {self.convention!r}")
        if self.ties not in _MODES:
            raise ValueError(f"rounding: ties must be 'away' or 'even', got {self.ties!r}")

    @property
    def exact(self) -> bool:
        return self.decimals is None

    @property
    def rounds_forward(self) -> bool:
        """Whether op nodes' forward values are rounded as they are computed."""
        return self.decimals is not None and self.convention != "final_only"

    @property
    def rounds_local(self) -> bool:
        """Whether local derivatives are rounded."""
        return self.decimals is not None and self.convention == "local_too"

    @property
    def rounds_products(self) -> bool:
        """Whether each upstream × local product (and each node's gradient) is rounded."""
        return self.decimals is not None and self.convention in ("every_node", "local_too")

    def _round(self, x: float, applies: bool) -> float:
        if self.decimals is None or not applies or not math.isfinite(x):
            return x  # an overflow is left for the engine to report, as in exact mode
        return float(round_decimal(x, self.decimals, self.ties))

    def as_decimal(self, x: float) -> Decimal:
        """``x`` rounded to the policy's digits, as a ``Decimal`` that prints them all."""
        return round_decimal(x, self.decimals, self.ties)

    def forward(self, x: float) -> float:
        """An operation node's forward value, as it flows on to its consumers."""
        return self._round(x, self.rounds_forward)

    def local(self, x: float) -> float:
        """A local derivative, evaluated from the (rounded) forward values.

        Unless the convention rounds it, only float noise is cleared
        (−1/0.05² is −400, not −399.99999999999994).
        """
        if self.decimals is not None and not self.rounds_local:
            return float(_NOISE.create_decimal(repr(float(x))))
        return self._round(x, self.rounds_local)

    def product(self, x: float) -> float:
        """One contribution upstream × local, and the sum of a node's contributions."""
        return self._round(x, self.rounds_products)

    def final(self, x: float) -> float:
        """A reported answer."""
        return self._round(x, True)

    def format(self, x: float | None) -> str:
        """``x`` printed with exactly the policy's digits (``20.00``), or in full when exact."""
        if x is None:
            return ""
        if self.decimals is None or not math.isfinite(x):
            return f"{x + 0.0:.10g}"  # + 0.0: no "-0"
        return str(round_decimal(x, self.decimals, self.ties))

    def describe(self) -> str:
        if self.decimals is None:
            return "exact"
        return f"round to {self.decimals} decimals ({self.convention.replace('_', ' ')}, ties {self.ties})"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "RoundingPolicy":
        return cls(**data)


EXACT = RoundingPolicy()
