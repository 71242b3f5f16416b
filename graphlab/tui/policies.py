"""The rounding policies the explorer switches between with one key, and what a switch changed."""

from __future__ import annotations

from dataclasses import replace

from graphlab.rounding import CONVENTIONS, RoundingPolicy, Ties
from graphlab.trace import Trace

DECIMAL_CYCLE = (None, 0, 1, 2, 3, 4)
"""``d`` walks exact → 0 → 1 → 2 → 3 → 4 decimals → exact."""


def decimal_cycle(policy: RoundingPolicy) -> list[RoundingPolicy]:
    """The other choices of decimals, starting with the next one in ``DECIMAL_CYCLE``."""
    i = DECIMAL_CYCLE.index(policy.decimals) if policy.decimals in DECIMAL_CYCLE else 0
    return [replace(policy, decimals=DECIMAL_CYCLE[(i + step) % len(DECIMAL_CYCLE)])
            for step in range(1, len(DECIMAL_CYCLE))]


def next_convention(policy: RoundingPolicy) -> RoundingPolicy:
    return replace(policy, convention=CONVENTIONS[(CONVENTIONS.index(policy.convention) + 1) % len(CONVENTIONS)])


def other_ties(policy: RoundingPolicy) -> RoundingPolicy:
    return replace(policy, ties=Ties.EVEN if policy.ties == Ties.AWAY else Ties.AWAY)


def changes(before: Trace | None, after: Trace) -> str:
    """The output and the input gradients, ``before → after``, each printed by its own policy."""
    fmt_after = after.policy.format
    if before is None or set(before.inputs) != set(after.inputs):
        return f"f = {fmt_after(after.value)}"
    fmt_before = before.policy.format
    rows = [("f", before.value, after.value)]
    rows += [(f"∂{k}", before.grads()[k], v) for k, v in after.grads().items()]
    return "\n".join(f"{name}: {fmt_before(old)} → {fmt_after(new)}" for name, old, new in rows)
