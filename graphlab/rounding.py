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

``with round_to(2):`` builds ``Value`` ops under a policy (``active``). The
former spelling ``with rounding(2):`` still works, with a DeprecationWarning:
this module is callable for it, so ``graphlab.rounding`` stays the module.
"""

from __future__ import annotations

import math
import sys
import types
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from enum import StrEnum


class Convention(StrEnum):
    """Which numbers an exercise's "round every result" rounds (the table above)."""

    __repr__ = str.__repr__  # 'every_node', as a policy's repr and a file write it

    EVERY_NODE = "every_node"
    LOCAL_TOO = "local_too"
    FORWARD_ONLY = "forward_only"
    FINAL_ONLY = "final_only"


class Ties(StrEnum):
    """How a number exactly halfway between two roundings is rounded."""

    __repr__ = str.__repr__

    AWAY = "away"
    """Away from zero, the school rule: 0.125 → 0.13, −0.125 → −0.13."""
    EVEN = "even"
    """To the even neighbour, banker's rounding: 0.125 → 0.12."""


CONVENTIONS: tuple[str, ...] = tuple(Convention)
TIES: tuple[str, ...] = tuple(Ties)
"""The conventions and the tie rules, for ``in`` tests of untrusted text and for menus."""

_NOISE = Context(prec=15)
_MODES = {Ties.AWAY: ROUND_HALF_UP, Ties.EVEN: ROUND_HALF_EVEN}  # Decimal's HALF_UP is away from zero


def round_decimal(x: float, decimals: int, ties: Ties | str = Ties.AWAY) -> Decimal:
    """``x`` rounded to ``decimals`` places on its decimal value, as a ``Decimal``."""
    cleaned = _NOISE.create_decimal(repr(float(x)))
    digits = Context(prec=max(28, cleaned.adjusted() + decimals + 2))  # room for 1e300 to 2 places
    rounded = cleaned.quantize(Decimal(1).scaleb(-decimals), rounding=_MODES[ties], context=digits)
    return rounded.copy_abs() if rounded == 0 else rounded  # no "-0.00"


@dataclass(frozen=True)
class RoundingPolicy:
    """How an exercise wants numbers rounded; ``decimals=None`` keeps full precision."""

    decimals: int | None = None
    convention: Convention = Convention.EVERY_NODE
    ties: Ties = Ties.AWAY

    def __post_init__(self) -> None:
        if self.decimals is not None and not (isinstance(self.decimals, int) and 0 <= self.decimals <= 12):
            raise ValueError(f"rounding: decimals must be a whole number from 0 to 12, got {self.decimals!r}")
        if self.convention not in CONVENTIONS:
            raise ValueError(f"rounding: convention must be one of {', '.join(CONVENTIONS)}, got {self.convention!r}")
        if self.ties not in _MODES:
            raise ValueError(f"rounding: ties must be 'away' or 'even', got {self.ties!r}")
        object.__setattr__(self, "convention", Convention(self.convention))  # "every_node" as given in a file
        object.__setattr__(self, "ties", Ties(self.ties))

    @property
    def exact(self) -> bool:
        return self.decimals is None

    @property
    def rounds_forward(self) -> bool:
        """Whether op nodes' forward values are rounded as they are computed."""
        return self.decimals is not None and self.convention != Convention.FINAL_ONLY

    @property
    def rounds_local(self) -> bool:
        """Whether local derivatives are rounded."""
        return self.decimals is not None and self.convention == Convention.LOCAL_TOO

    @property
    def rounds_products(self) -> bool:
        """Whether each upstream × local product (and each node's gradient) is rounded."""
        return self.decimals is not None and self.convention in (Convention.EVERY_NODE, Convention.LOCAL_TOO)

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
        return {key: str(value) if isinstance(value, StrEnum) else value for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict) -> RoundingPolicy:
        return cls(**data)


EXACT = RoundingPolicy()

active: RoundingPolicy = EXACT
"""The policy ``Value`` ops are built under: ``round_to`` sets it for a ``with`` block."""


@contextmanager
def round_to(policy: RoundingPolicy | int | None) -> Iterator[RoundingPolicy]:
    """Build the graph under ``policy`` (an int ``n`` means "round every node to n decimals")."""
    global active
    if not isinstance(policy, RoundingPolicy):
        policy = RoundingPolicy(decimals=policy)
    previous, active = active, policy
    try:
        yield policy
    finally:
        active = previous


class _Module(types.ModuleType):
    """This module, callable under its former use: ``rounding(2)`` is ``round_to(2)``, with a warning."""

    def __call__(self, policy: RoundingPolicy | int | None):
        warnings.warn("graphlab.rounding(...) is now graphlab.round_to(...); graphlab.rounding is the module",
                      DeprecationWarning, stacklevel=2)
        return round_to(policy)


sys.modules[__name__].__class__ = _Module
