"""Answer checking: parsing what students type, and one verdict shared by the explorer and the hashed keys."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphlab.exercise.check import AnswerError, canonical, is_right, parse_answer
from graphlab.rounding import RoundingPolicy

TWO = RoundingPolicy(decimals=2)


@pytest.mark.parametrize("text, number", [("-0,05", "-0.05"), ("−0.05", "-0.05"), (" 1e-3 ", "0.001"),
                                          ("20", "20"), ("1 000,5", "1000.5")])
def test_parse_answer_reads_what_students_type(text, number):
    assert parse_answer(text) == Decimal(number)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "nan", "inf", "--1"])
def test_parse_answer_refuses_what_is_not_a_finite_number(text):
    with pytest.raises(AnswerError):
        parse_answer(text)


@pytest.mark.parametrize("answer, right", [("20", True), ("20.0", True), ("20.00", True), ("20.004", True),
                                           ("19.995", True), ("20.005", False), ("19.994", False),
                                           ("20.01", False), ("20,00", True)])
def test_an_answer_is_right_when_it_rounds_to_the_expected_value(answer, right):
    assert is_right(20.0, answer, TWO) is right


@pytest.mark.parametrize("ties, expected, right", [("away", 20.01, True), ("away", 20.00, False),
                                                    ("even", 20.00, True), ("even", 20.01, False)])
def test_a_halfway_answer_is_settled_by_the_exercise_ties_rule(ties, expected, right):
    # 20.005 rounds away from zero to 20.01, to even to 20.00
    assert is_right(expected, "20.005", RoundingPolicy(decimals=2, ties=ties)) is right


def test_without_a_rounding_rule_the_students_own_digits_count():
    exact = RoundingPolicy(decimals=None)
    assert is_right(20.085536923, "20.09", exact)
    assert is_right(20.085536923, "20.0855", exact)
    assert not is_right(20.085536923, "20", exact)
    assert not is_right(20.085536923, "20.08", exact)


@given(cents=st.integers(-100_000, 100_000), offset=st.integers(-9, 9), ties=st.sampled_from(["away", "even"]))
def test_explorer_and_hashed_keys_agree_on_every_answer(cents, offset, ties):
    """``is_right`` (the explorer) and ``canonical`` (the hashed keys) give one verdict, halfway answers included."""
    policy = RoundingPolicy(decimals=2, ties=ties)
    expected = cents / 100
    answer = str(Decimal(cents).scaleb(-2) + Decimal(offset).scaleb(-3))  # within ±0.009 of the expected value
    by_key = canonical(answer, 2, ties) == canonical(str(policy.as_decimal(expected)), 2, ties)
    assert is_right(expected, answer, policy) is by_key
