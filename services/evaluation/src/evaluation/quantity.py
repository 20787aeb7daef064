"""Indicator quantities: exact decimals, never float.

On the wire a decimal string with at most four places (`"1250"`, `"87.5"`); in the database a BIGINT of
ten-thousandths, so SQLite and PostgreSQL store exactly the same number.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from sqlalchemy import BigInteger
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from kit.i18n import Msg

SCALE = 10_000
PLACES = Decimal("0.0001")
QUANTITY_PATTERN = r"^-?[0-9]{1,14}(\.[0-9]{1,4})?$"
_QUANTITY = re.compile(QUANTITY_PATTERN)


def parse_quantity(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ValueError(Msg('a quantity is a decimal string such as "1250" or "87.5", not a JSON number'))
    if not _QUANTITY.fullmatch(text):
        raise ValueError(Msg('a quantity has at most 14 digits before and 4 after the point, e.g. "87.5"'))
    return Decimal(text)


def format_quantity(value: Decimal) -> str:
    """The shortest exact form: `1250`, `87.5`, `0.3333`."""
    text = format(value.quantize(PLACES), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


Quantity = Annotated[
    Decimal,
    BeforeValidator(parse_quantity),
    PlainSerializer(format_quantity, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": QUANTITY_PATTERN,
            "examples": ["1250", "87.5"],
            "description": "An exact decimal as a string, at most four decimal places.",
        }
    ),
]


class QuantityType(TypeDecorator[Decimal]):
    """Stores a Decimal with four places as a whole number of ten-thousandths in a BIGINT column."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * SCALE).to_integral_exact())

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / SCALE).quantize(PLACES)
