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
