"""Indicator definitions: where an indicator belongs, its unit, baseline and aggregation are checked."""

from __future__ import annotations

from typing import Any

import httpx


async def test_indicator_definitions_are_checked(
    client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str], ids: Any
) -> None:
    base = {"programme_id": str(ids.programme), "code": "x", "title": "x", "level": "output", "unit": "count"}
    cases: list[tuple[dict[str, Any], list[Any]]] = [
        ({}, ["body", "goal_id"]),
        ({"goal_id": ids.goal("9.9")}, ["body", "goal_id"]),
        ({"measure_id": "00000000-0000-0000-0000-000000000004"}, ["body", "measure_id"]),
        ({"goal_id": ids.goal("1.1"), "unit": "kg"}, ["body", "unit"]),
        ({"goal_id": ids.goal("1.1"), "baseline": "-4"}, ["body", "baseline"]),
        ({"goal_id": ids.goal("1.1"), "aggregation": "median"}, ["body", "aggregation"]),
    ]
    for change, loc in cases:
        response = await client.post("/v1/indicators", json={**base, **change}, headers=editor)
        assert response.status_code == 422, (change, response.text)
        assert response.json()["errors"][0]["loc"] == loc, (change, response.json())
    national = {**base, "programme_id": None, "level": "impact", "unit": "percent"}
    assert (await client.post("/v1/indicators", json=national, headers=editor)).status_code == 403
    refused = await client.post("/v1/indicators", json=national, headers=sem)
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["body", "national_goal_id"]
