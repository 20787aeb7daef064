"""Input dates: exactly YYYY-MM-DD in ASCII digits, from 1990-01-01 to 2100-12-31; the published pattern admits
exactly the strings the parser takes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from kit.dates import DATE_PATTERN, EARLIEST, LATEST, BusinessDate


class Decision(BaseModel):
    decision_date: BusinessDate


@given(st.dates(min_value=EARLIEST, max_value=LATEST))
def test_every_day_of_the_range_is_taken(day: dt.date) -> None:
    assert Decision.model_validate({"decision_date": day.isoformat()}).decision_date == day
    assert re.fullmatch(DATE_PATTERN, day.isoformat())


@given(st.dates().filter(lambda d: not EARLIEST <= d <= LATEST))
def test_a_day_outside_the_range_is_refused_and_outside_the_pattern(day: dt.date) -> None:
    with pytest.raises(ValidationError, match="between 1990-01-01 and 2100-12-31"):
        Decision.model_validate({"decision_date": day.isoformat()})
    assert not re.fullmatch(DATE_PATTERN, day.isoformat())


@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 12, 31)))
def test_a_datetime_is_not_a_date(moment: dt.datetime) -> None:
    for value in (moment.isoformat(), moment.date().isoformat() + "T00:00:00", moment):
        with pytest.raises(ValidationError):
            Decision.model_validate({"decision_date": value})


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01",
        "9999-12-31",
        " 2024-05-31",
        "2024-05-31 ",
        "2024-5-31",
        "20240531",
        "٢٠٢٤-٠٥-٣١",
        "2023-02-29",
        1717113600,
        1717113600.0,
        None,
        True,
    ],
)
def test_anything_but_a_plain_day_in_range_is_refused(value: object) -> None:
    with pytest.raises(ValidationError):
        Decision.model_validate({"decision_date": value})


def test_the_schema_states_the_range() -> None:
    schema = Decision.model_json_schema()["properties"]["decision_date"]
    assert schema["format"] == "date" and schema["pattern"] == DATE_PATTERN
    assert (schema["formatMinimum"], schema["formatMaximum"]) == ("1990-01-01", "2100-12-31")
