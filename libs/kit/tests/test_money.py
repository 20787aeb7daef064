"""CHF amounts: exact to the Rappen from 0 to CHF 10^13, through parsing, the database column and splits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from kit.money import MAX_AMOUNT, Amount, RappenType, from_rappen, split_largest_remainder, to_rappen

rappen = st.integers(min_value=0, max_value=to_rappen(MAX_AMOUNT))


class Payment(BaseModel):
    amount: Amount


@given(rappen)
def test_every_amount_survives_the_wire_and_the_column(value: int) -> None:
    amount = from_rappen(value)
    text = format(amount, "f")
    parsed = Payment.model_validate({"amount": text}).amount
    assert parsed == amount
    assert Payment(amount=parsed).model_dump(mode="json") == {"amount": text}
    column = RappenType()
    stored = column.process_bind_param(parsed, None)  # type: ignore[arg-type]
    assert stored == value
    assert column.process_result_value(stored, None) == amount  # type: ignore[arg-type]


@given(rappen, st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(any))
def test_largest_remainder_parts_add_up_to_the_whole(value: int, weights: list[int]) -> None:
    total = from_rappen(value)
    parts = split_largest_remainder(total, weights)
    assert sum(parts) == total
    assert all(p >= 0 and p == p.quantize(Decimal("0.01")) for p in parts)
    for part, weight in zip(parts, weights, strict=True):
        exact = total * weight / sum(weights)
        assert abs(part - exact) < Decimal("0.01")


@pytest.mark.parametrize(
    "value",
    [1250.5, 1, True, False, None, "12.345", "-1.00", "1e3", "10000000000000.01", " ", "1,000.00", "NaN", "0x10"],
)
def test_anything_but_a_plain_decimal_string_is_refused(value: object) -> None:
    with pytest.raises(ValidationError):
        Payment.model_validate({"amount": value})


def test_schema_publishes_the_pattern() -> None:
    schema = Payment.model_json_schema()["properties"]["amount"]
    assert schema["type"] == "string" and schema["pattern"].startswith("^")


ASCII_DIGITS = set("0123456789")
OTHER_DIGITS = st.characters(categories=["Nd"]).filter(lambda c: c not in ASCII_DIGITS)


@given(rappen, OTHER_DIGITS, st.integers(min_value=0, max_value=20))
def test_a_digit_that_is_not_ascii_is_refused(value: int, digit: str, position: int) -> None:
    """`\\d` in a Python pattern matches Arabic-Indic, Devanagari and other digits; amounts take ASCII only."""
    text = format(from_rappen(value), "f")
    index = position % len(text)
    if text[index] not in ASCII_DIGITS:
        index = 0
    with pytest.raises(ValidationError):
        Payment.model_validate({"amount": text[:index] + digit + text[index + 1 :]})


@given(rappen, st.sampled_from([" ", "\t", "\n", "\u00a0", "\u2003"]), st.booleans())
def test_whitespace_around_an_amount_is_refused(value: int, space: str, before: bool) -> None:
    text = format(from_rappen(value), "f")
    with pytest.raises(ValidationError):
        Payment.model_validate({"amount": space + text if before else text + space})


def test_the_published_pattern_names_ascii_digits() -> None:
    assert r"\d" not in Payment.model_json_schema()["properties"]["amount"]["pattern"]
