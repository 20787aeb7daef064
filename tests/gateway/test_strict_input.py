"""Dates and amounts are parsed strictly by every service: every date field of every request body is the business
date (its range in the schema), and a date or amount outside the rules is a 422 naming the field, over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.dates import DATE_PATTERN
from tests.gateway.conftest import INSTALLED, Platform, TokenFactory, needs


def _resolve(schema: dict[str, Any], components: dict[str, Any], seen: set[str]) -> list[tuple[str, dict[str, Any]]]:
    """Every (name, property schema) under `schema`, following references once."""
    ref = schema.get("$ref")
    if ref is not None:
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return _resolve(components[name], components, seen)
    found = []
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            found += _resolve(part, components, seen)
    if "items" in schema:
        found += _resolve(schema["items"], components, seen)
    for name, prop in schema.get("properties", {}).items():
        found.append((name, prop))
        found += _resolve(prop, components, seen)
    return found


def _date_schemas(prop: dict[str, Any]) -> list[dict[str, Any]]:
    options = [prop, *prop.get("anyOf", [])]
    return [o for o in options if o.get("format") in ("date", "date-time")]


@pytest.mark.parametrize("service", INSTALLED)
def test_every_date_a_request_body_takes_is_a_business_date(service: str, platform: Platform) -> None:
    document = platform.services[service].openapi()
    components = document["components"]["schemas"]
    checked = 0
    for operations in document["paths"].values():
        for operation in operations.values():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            for name, prop in _resolve(body, components, set()) if body else []:
                for option in _date_schemas(prop):
                    assert option.get("format") == "date", f"{service}: {name} takes a date-time"
                    assert option.get("pattern") == DATE_PATTERN, f"{service}: {name} is not a business date"
                    checked += 1
    assert checked or service in ("programme", "webhooks")  # neither takes a date in a request body


BAD_DATES = st.one_of(
    st.dates().filter(lambda d: not 1990 <= d.year <= 2100).map(lambda d: d.isoformat()),
    st.datetimes(min_value=__import__("datetime").datetime(1990, 1, 1)).map(lambda m: m.isoformat()),
    st.dates(min_value=__import__("datetime").date(1990, 1, 1)).map(lambda d: f" {d.isoformat()}"),
)
BAD_AMOUNTS = st.one_of(
    st.decimals(min_value=0, max_value=10**12, places=2).map(lambda a: f" {a}"),
    st.decimals(min_value=0, max_value=10**12, places=2).map(lambda a: f"{a}\n"),
    st.integers(min_value=0, max_value=999).map(lambda n: "".join(chr(0x0660 + int(c)) for c in str(n)) + ".00"),
    st.integers(min_value=0, max_value=999).map(lambda n: "".join(chr(0x0966 + int(c)) for c in str(n))),
)


async def _error_locations(platform: Platform, token: TokenFactory, body: dict[str, Any]) -> list[list[Any]]:
    async with httpx.AsyncClient(transport=platform.transport("funding"), base_url="http://funding") as client:
        response = await client.post("/v1/credits", json=body, headers=token("canton-editor", canton="BL"))
    assert response.status_code == 422, response.text
    return [e["loc"] for e in response.json()["errors"]]


@needs("funding")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(date=BAD_DATES, amount=BAD_AMOUNTS)
async def test_a_date_or_amount_outside_the_rules_is_refused_naming_it(
    platform: Platform, token: TokenFactory, date: str, amount: str
) -> None:
    locations = await _error_locations(platform, token, {"decision_date": date, "amount": amount})
    assert ["body", "decision_date"] in locations and ["body", "amount"] in locations


@needs("funding")
async def test_a_plain_date_and_amount_pass(platform: Platform, token: TokenFactory) -> None:
    for date, amount in (("1990-01-01", "0.00"), ("2024-05-31", "1250.50"), ("2100-12-31", "10000000000000.00")):
        locations = await _error_locations(platform, token, {"decision_date": date, "amount": amount})
        assert ["body", "decision_date"] not in locations and ["body", "amount"] not in locations
