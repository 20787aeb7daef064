"""Calendar dates that come in from outside: `YYYY-MM-DD` in ASCII digits, within the platform's business range.

Pydantic's own `date` takes a datetime (`2024-05-01T13:00:00`), a number of seconds since 1970, and any year from
0001 to 9999, so a typing slip becomes a decision dated in year 9999 or 0001 that sorts first or last everywhere.
`BusinessDate` is the one strict parser every service's input schemas use: exactly a date, nothing around it,
between EARLIEST and LATEST. The range is stated in the OpenAPI schema (a pattern that admits only those years, and
the bounds in words and as `formatMinimum`/`formatMaximum`). Read models keep plain dates: what is stored is shown.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from kit.i18n import Msg

#: The first and last day a programme, agreement, payment or evaluation date may name: KIP started in 2014 and
#: records reach back to the 1990s; beyond 2100 is a typing slip, not a plan.
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)
#: Years 1990-2100, months 01-12, days 01-31 (the calendar check follows the pattern).
DATE_PATTERN = r"^(199[0-9]|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_business_date(value: Any) -> dt.date:
    """A date from a `YYYY-MM-DD` string (or a date built in code), refused outside EARLIEST..LATEST."""
    if isinstance(value, dt.datetime):
        raise ValueError(Msg("a date is YYYY-MM-DD, without a time"))
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        if not _SHAPE.fullmatch(value):
            raise ValueError(Msg("a date is YYYY-MM-DD in ASCII digits, without a time or spaces, e.g. 2024-05-31"))
        try:
            day = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(Msg("{value} is not a day of the calendar", value=value)) from exc
    else:
        raise ValueError(Msg("a date is a string YYYY-MM-DD, e.g. 2024-05-31"))
    if not EARLIEST <= day <= LATEST:
        raise ValueError(
            Msg("a date lies between {earliest} and {latest}", earliest=EARLIEST.isoformat(), latest=LATEST.isoformat())
        )
    return day


BUSINESS_DATE_SCHEMA: dict[str, Any] = {
    "type": "string",
    "format": "date",
    "pattern": DATE_PATTERN,
    "formatMinimum": EARLIEST.isoformat(),
    "formatMaximum": LATEST.isoformat(),
    "examples": ["2024-05-31"],
    "description": f"A calendar date YYYY-MM-DD between {EARLIEST.isoformat()} and {LATEST.isoformat()}.",
}

#: A date in an input schema (create, update, query).
BusinessDate = Annotated[dt.date, BeforeValidator(parse_business_date), WithJsonSchema(BUSINESS_DATE_SCHEMA)]
