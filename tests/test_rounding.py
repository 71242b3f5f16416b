"""Rounding as a policy: the decimal rule, the conventions side by side, what the trace records."""

from decimal import Decimal

import pytest

from graphlab import RoundingPolicy, Value, round_to
from graphlab.rounding import round_decimal


@pytest.mark.parametrize("x, ties, expected", [
    (0.125, "away", "0.13"), (-0.125, "away", "-0.13"), (0.075, "away", "0.08"), (2.675, "away", "2.68"),
    (1.005, "away", "1.01"), (0.125, "even", "0.12"), (0.135, "even", "0.14"), (-0.125, "even", "-0.12"),
    (0.7 * 0.15, "away", "0.11"), (0.1 + 0.2, "away", "0.30"), (-0.001, "away", "0.00"), (20.0, "away", "20.00")])
def test_ties_are_broken_on_the_decimal_value(x, ties, expected):
    assert round_decimal(x, 2, ties) == Decimal(expected)
    assert str(round_decimal(x, 2, ties)) == expected


def test_binary_round_would_get_these_wrong():
    # the reason for decimal rounding: Python's round() sees the binary float
    assert round(2.675, 2) == 2.67 and round(0.125, 2) == 0.12


def scaled_division(policy):
    with round_to(policy):
        x, y = Value(1.0, "x"), Value(3.0, "y")
        f = 7 * (x / y)
    f.backward()
    return f, x, y


def test_every_node_rounds_products_not_local_derivatives():
    f, x, y = scaled_division(RoundingPolicy(2))
    assert f.data == 2.31  # 7 × 0.33
    assert x.grad == 2.33  # 7 × (1/3 unrounded) = 2.333 → 2.33


def test_local_too_rounds_local_derivatives_as_well():
    f, x, y = scaled_division(RoundingPolicy(2, "local_too"))
    assert x.grad == 2.31  # 7 × 0.33
    assert y.grad == -0.77  # 7 × (−0.11)


def test_forward_only_keeps_gradients_exact():
    f, x, y = scaled_division(RoundingPolicy(2, "forward_only"))
    assert f.data == 2.31
    assert x.grad == pytest.approx(7 / 3)


def test_final_only_rounds_nothing_inside():
    f, x, y = scaled_division(RoundingPolicy(2, "final_only"))
    assert f.data == pytest.approx(7 / 3)
    trace = f.trace()
    assert trace.value == 2.33 and trace.grads() == {"x": 2.33, "y": -0.78}


def test_ties_option_reaches_forward_values():
    for ties, expected in (("away", 0.13), ("even", 0.12)):
        with round_to(RoundingPolicy(2, ties=ties)):
            f = Value(0.5, "x") * Value(0.25, "y")
        assert f.data == expected


def test_inputs_and_constants_are_used_as_given():
    with round_to(1):
        x = Value(0.123, "x")
        f = x * 1.25
    assert x.data == 0.123 and f.inputs[1].data == 1.25
    assert f.data == 0.2  # 0.15375 → 0.2


def test_trace_records_its_policy():
    f, _, _ = scaled_division(RoundingPolicy(2, "local_too", "even"))
    policy = f.trace().policy
    assert (policy.decimals, policy.convention, policy.ties) == (2, "local_too", "even")
    assert "local too" in policy.describe()


@pytest.mark.parametrize("kwargs", [{"decimals": -1}, {"decimals": 2.5}, {"decimals": 2, "convention": "some"},
                                    {"decimals": 2, "ties": "up"}])
def test_bad_policy_is_refused_with_the_field_named(kwargs):
    with pytest.raises(ValueError, match="rounding: "):
        RoundingPolicy(**kwargs)


def test_format_prints_exactly_the_policy_digits():
    assert RoundingPolicy(2).format(20.0) == "20.00"
    assert RoundingPolicy(2).format(-0.0001) == "0.00"
    assert RoundingPolicy().format(20.085536923187668) == "20.08553692"


def test_large_numbers_round_without_a_decimal_context_error():
    assert round_decimal(1e300, 2) == Decimal("1e300")
    assert str(round_decimal(123456789012.345, 2)) == "123456789012.35"  # every real digit kept
    assert str(round_decimal(1.123456789012345, 12)) == "1.123456789012"


def test_exact_mode_prints_no_negative_zero():
    assert RoundingPolicy().format(-0.0) == "0"


def test_the_module_is_the_module_and_its_old_call_still_works_with_a_warning():
    import graphlab
    import graphlab.rounding as module
    from graphlab import rounding

    assert module is rounding is graphlab.rounding and module.RoundingPolicy is RoundingPolicy
    with pytest.warns(DeprecationWarning, match="graphlab.round_to"), rounding(2) as policy:
        f = Value(1.0, "x") / 3
    assert policy == RoundingPolicy(2) and f.data == 0.33 and f.policy == policy


def test_conventions_and_ties_are_named_constants_that_read_and_print_as_their_words():
    from graphlab.rounding import Convention, Ties

    policy = RoundingPolicy(2, "local_too", "even")
    assert policy.convention is Convention.LOCAL_TOO and policy.ties is Ties.EVEN
    assert policy.to_dict() == {"decimals": 2, "convention": "local_too", "ties": "even"}
    assert RoundingPolicy.from_dict(policy.to_dict()) == policy
    assert repr(policy) == "RoundingPolicy(decimals=2, convention='local_too', ties='even')"
