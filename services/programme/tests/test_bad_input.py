"""Bad input: a 4xx problem naming the field, never a 5xx, and nothing written."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from programme_factories import field_names, problem


async def programme_count(client: httpx.AsyncClient, token: Any) -> int:
    return int((await client.get("/v1/programmes", headers=token("sem"))).json()["total"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"canton": "XX", "period": "KIP3", "title": "x"}, "body.canton"),
        ({"canton": "BL", "period": "KIP3", "title": "x" * 301}, "body.title"),
        ({"canton": "BL", "period": "KIP3", "title": 42}, "body.title"),
        ({"canton": "BL", "period": "KIP3", "title": "x", "agreement_date": "2023-13-45"}, "body.agreement_date"),
        ({"canton": "BL", "period": "KIP3", "title": "x", "surprise": True}, "body.surprise"),
        ({"canton": "BL", "period": "KIP3"}, "body.title"),
        ({"canton": "BL", "period": "KIP9", "title": "x"}, "body.period"),
    ],
)
async def test_bad_programme_is_refused_naming_the_field(
    client: httpx.AsyncClient, token: Any, seeded: None, payload: dict[str, Any], field: str
) -> None:
    before = await programme_count(client, token)
    response = await client.post("/v1/programmes", json=payload, headers=token("canton-editor", canton="BL"))
    assert field in field_names(problem(response, 422))
    assert await programme_count(client, token) == before


async def test_malformed_json_is_a_400_problem(client: httpx.AsyncClient, token: Any) -> None:
    response = await client.post(
        "/v1/programmes",
        content=b'{"canton": "BL", ',
        headers=token("canton-editor", canton="BL") | {"Content-Type": "application/json"},
    )
    assert problem(response, 400)["type"] == "/problems/malformed-json"


async def test_bad_path_and_query_values_are_named(client: httpx.AsyncClient, token: Any) -> None:
    assert "path.programme_id" in field_names(
        problem(await client.get("/v1/programmes/not-a-uuid", headers=token("sem")), 422)
    )
    assert "query.limit" in field_names(problem(await client.get("/v1/programmes?limit=0", headers=token("sem")), 422))
    assert "query.canton" in field_names(
        problem(await client.get("/v1/programmes?canton=ZZ", headers=token("sem")), 422)
    )


async def test_unknown_route_and_method_are_problems(client: httpx.AsyncClient, token: Any) -> None:
    problem(await client.get("/v1/nothing", headers=token("sem")), 404)
    problem(await client.delete("/v1/periods", headers=token("sem")), 405)


async def test_openapi_documents_amount_free_schemas_and_problems(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert "ProblemDetail" in spec["components"]["schemas"]
    patch = spec["paths"]["/v1/programmes/{programme_id}"]["patch"]
    assert {"412", "428"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" for p in patch["parameters"])
