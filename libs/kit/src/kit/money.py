"""Money: CHF exact to the Rappen, never float.

In Python a `Decimal` with two places; in the database whole Rappen in a 64-bit integer column (SQLite has
no exact decimal type); on the wire a decimal string such as `"3392068.00"`, its pattern in the OpenAPI schema.
Splits use the largest-remainder rule so the parts always add up to the whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

if TYPE_CHECKING:
    from kit.db_types import RappenType as RappenType

from kit.i18n import Msg

CENT = Decimal("0.01")
#: The largest amount the platform accepts: CHF 10^13 (ten trillion), well inside a 64-bit count of Rappen.
MAX_AMOUNT = Decimal("10000000000000.00")
#: Sums the platform computes (a report's totals over many lines) may pass 10^13, up to what the published
#: pattern allows; only amounts that come in from outside are held to MAX_AMOUNT.
MAX_TOTAL = Decimal("99999999999999.99")
#: ASCII digits only (`[0-9]`, not `\\d`, which in Python also matches Arabic-Indic and other digits), nothing around
#: them: no spaces, no sign but a leading minus, no exponent.
AMOUNT_PATTERN = r"^-?[0-9]{1,14}(\.[0-9]{1,2})?$"
NON_NEGATIVE_PATTERN = r"^[0-9]{1,14}(\.[0-9]{1,2})?$"


def to_rappen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_exact())


def from_rappen(rappen: int) -> Decimal:
    return (Decimal(rappen) / 100).quantize(CENT)


def parse_amount(value: Any, *, allow_negative: bool) -> Decimal:
    """Accept only a decimal string of ASCII digits with at most two places, within ±CHF 10^13; surrounding
    whitespace is refused like any other character the pattern does not allow."""
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, str):
        text = value
    else:
        raise ValueError(Msg('an amount is a decimal string such as "1250.50", not a JSON number'))
    pattern = AMOUNT_PATTERN if allow_negative else NON_NEGATIVE_PATTERN
    if not re.fullmatch(pattern, text):
        if text.startswith("-") and not allow_negative:
            raise ValueError(Msg("the amount must not be negative"))
        raise ValueError(Msg('an amount has at most two decimal places, e.g. "1250.50"'))
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already excludes this
        raise ValueError(Msg("not a decimal amount")) from exc
    if isinstance(value, str) and abs(amount) > MAX_AMOUNT:
        raise ValueError(Msg("the amount exceeds CHF 10,000,000,000,000.00"))
    if abs(amount) > MAX_TOTAL:
        raise ValueError(Msg("the amount exceeds what the platform can carry (CHF 99,999,999,999,999.99)"))
    return amount.quantize(CENT)


def _json_schema(pattern: str, example: str) -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": pattern,
        "maxLength": 18,
        "examples": [example],
        "description": "CHF as a decimal string with at most two decimal places (Rappen); at most CHF 10^13.",
    }


def _serialize(value: Decimal) -> str:
    return format(value.quantize(CENT), "f")


#: A CHF amount that may be negative (corrections, differences).
Money = Annotated[
    Decimal,
    BeforeValidator(lambda v: parse_amount(v, allow_negative=True)),
    PlainSerializer(_serialize, return_type=str),
    WithJsonSchema(_json_schema(AMOUNT_PATTERN, "-1250.50")),
]

#: A CHF amount of zero or more.
Amount = Annotated[
    Decimal,
    BeforeValidator(lambda v: parse_amount(v, allow_negative=False)),
    PlainSerializer(_serialize, return_type=str),
    WithJsonSchema(_json_schema(NON_NEGATIVE_PATTERN, "3392068.00")),
]


def split_largest_remainder(total: Decimal, weights: Sequence[Decimal | int]) -> list[Decimal]:
    """Split `total` in proportion to `weights`; the parts are whole Rappen and add up to `total` exactly."""
    if not weights:
        return []
    weight_sum = sum(Decimal(w) for w in weights)
    total_rappen = to_rappen(total)
    if weight_sum == 0:
        raise ValueError(Msg("weights must not all be zero"))
    exact = [Decimal(total_rappen) * Decimal(w) / weight_sum for w in weights]
    floors = [int(e.to_integral_value(rounding="ROUND_FLOOR")) for e in exact]
    remainder = total_rappen - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (exact[i] - floors[i], -i), reverse=True)
    for i in order[:remainder]:
        floors[i] += 1
    return [from_rappen(f) for f in floors]


def round_chf(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _parse_total(value: Any) -> Decimal:
    if isinstance(value, str):
        if not re.fullmatch(AMOUNT_PATTERN, value):
            raise ValueError(Msg("a total is a decimal string with at most two decimal places"))
        value = Decimal(value)
    return parse_amount(value, allow_negative=True)


#: A CHF figure the platform computed (a sum, a difference) as read back from another service: like `Money`,
#: but not held to the CHF 10^13 limit on amounts that come in, only to what the pattern can carry.
Total = Annotated[
    Decimal,
    BeforeValidator(_parse_total),
    PlainSerializer(_serialize, return_type=str),
    WithJsonSchema(_json_schema(AMOUNT_PATTERN, "21814321650762.79")),
]


def __getattr__(name: str) -> Any:
    """`kit.money.RappenType` (models and migrations name it so) lives in `kit.db_types`, imported only when asked
    for: this module stays free of SQLAlchemy, so the gateway can use the wire types without it."""
    if name == "RappenType":
        from kit.db_types import RappenType

        return RappenType
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
