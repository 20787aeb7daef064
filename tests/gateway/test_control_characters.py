"""Control characters in any text are refused with 422 naming the field, by every operation of every service.

Hypothesis draws an operation from each service's own OpenAPI document, a place (a body field, a declared query
parameter, a path parameter) and a text holding a forbidden character (NUL, another C0 control other than tab, LF
and CR, or, in a JSON body, an unpaired surrogate); the real service on its real database (SQLite, and PostgreSQL
when configured) must answer 422 `/problems/validation-error` with the field's location, never 2xx or 5xx.
"""

from __future__ import annotations

import json
import urllib.parse
import uuid
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.gateway.conftest import INSTALLED, Platform, TokenFactory

CONTROL = [chr(c) for c in range(32) if chr(c) not in "\t\n\r"]
SURROGATES = [chr(c) for c in (0xD800, 0xDBFF, 0xDC00, 0xDFFF)]
WRITE_METHODS = ("post", "put", "patch", "delete")


def _text(forbidden: list[str], exclude: str = "") -> st.SearchStrategy[str]:
    part = st.text(st.characters(exclude_categories=["Cs", "Cc"], exclude_characters=exclude), max_size=12)
    return st.builds(lambda a, c, b: a + c + b, part, st.sampled_from(forbidden), part)


def _operations(app: Any) -> list[tuple[str, str, str, str]]:
    """(method, path template, place, name) for every body, declared query parameter and path parameter."""
    found = []
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] in ("query", "path"):
                    found.append((method, path, parameter["in"], parameter["name"]))
            if "application/json" in operation.get("requestBody", {}).get("content", {}):  # files are not JSON
                found.append((method, path, "body", "title"))
    return found


def _url(path: str, replace: dict[str, str]) -> str:
    for segment in [s for s in path.split("/") if s.startswith("{")]:
        name = segment.strip("{}")
        value = replace.get(name, str(uuid.uuid4()))
        path = path.replace(segment, urllib.parse.quote(value, safe=""))
    return path


@pytest.mark.parametrize("service", INSTALLED)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
async def test_every_operation_refuses_control_characters_naming_the_field(
    service: str, platform: Platform, token: TokenFactory, data: st.DataObject
) -> None:
    app = platform.services[service]
    method, path, place, name = data.draw(st.sampled_from(_operations(app)), label="operation")
    headers = token("canton-editor", canton="BL") | {"If-Match": '"1"'}
    params: dict[str, str] = {}
    content = None
    if place == "body":
        name = data.draw(st.sampled_from(["title", "note", "name", "de", "x"]), label="field")
        value: Any = data.draw(_text(CONTROL + SURROGATES), label="text")
        body = {name: value} if data.draw(st.booleans()) else {"outer": [{name: value}]}
        content = json.dumps(body).encode()  # escapes a lone surrogate as JSON allows
        headers["Content-Type"] = "application/json"
        expected = ["body", name] if name in body else ["body", "outer", 0, name]
        url = _url(path, {})
    else:
        value = data.draw(_text(CONTROL, exclude="/" if place == "path" else ""), label="text")
        if place == "query":
            params[name] = value
        url = _url(path, {name: value} if place == "path" else {})
        expected = [place, name]
    async with httpx.AsyncClient(transport=platform.transport(service), base_url=f"http://{service}") as client:
        response = await client.request(method.upper(), url, params=params, content=content, headers=headers)
    assert response.status_code == 422, (method, url, response.text)
    problem = response.json()
    assert problem["type"] == "/problems/validation-error"
    assert problem["errors"][0]["loc"] == expected, problem


@pytest.mark.parametrize("service", INSTALLED)
async def test_a_refused_write_leaves_nothing_behind(service: str, platform: Platform, token: TokenFactory) -> None:
    """A NUL in a create is a 422 on both backends (it was a 500 on PostgreSQL and stored on SQLite)."""
    app = platform.services[service]
    creates = [
        p
        for p, ops in app.openapi()["paths"].items()
        if "post" in ops
        and "{" not in p
        and "audit" not in p
        and "application/json" in ops["post"].get("requestBody", {}).get("content", {})  # not file uploads
    ]
    editor = token("canton-editor", canton="BL")
    async with httpx.AsyncClient(transport=platform.transport(service), base_url=f"http://{service}") as client:
        before = (await client.get("/v1/audit", params={"limit": 1}, headers=token("sem"))).json()["total"]
        for path in creates:
            response = await client.post(path, json={"title": "a\x00b", "canton": "BL"}, headers=editor)
            assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "title"], path
        after = (await client.get("/v1/audit", params={"limit": 1}, headers=token("sem"))).json()["total"]
    assert after == before
