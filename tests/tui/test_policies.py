"""The one-key rounding switches, and the notice of what a switch changed."""

from __future__ import annotations

from graphlab.rounding import RoundingPolicy
from graphlab.tui.policies import changes, decimal_cycle, next_convention, other_ties


def test_cycles_visit_every_choice_once():
    start = RoundingPolicy(2, "forward_only", "even")
    cycle = decimal_cycle(start)
    assert [p.decimals for p in cycle] == [3, 4, None, 0, 1]
    assert all(p.convention == "forward_only" and p.ties == "even" for p in cycle)
    seen, policy = set(), start
    for _ in range(4):
        policy = next_convention(policy)
        seen.add(policy.convention)
    assert policy == start and len(seen) == 4
    assert other_ties(other_ties(start)) == start and other_ties(start).ties == "away"


def test_changes_print_each_side_with_its_own_digits(lecture):
    rounded = lecture.solve()
    exact = lecture.with_policy(RoundingPolicy()).solve()
    text = changes(rounded, exact)
    assert text.splitlines()[0] == "f: 20.00 → 20.08553692"  # e³ = 20.0855369…
    assert "∂x0: 40.00 → 40.17107385" in text  # ∂/∂x0 = (1 + x0·y0)·e³ = 2e³
