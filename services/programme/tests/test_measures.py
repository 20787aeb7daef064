"""Measures: references checked, filters, and a partner sees only what it delivers."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from programme_factories import (
    ALD,
    BL_KIP3,
    GOAL_LANGUAGE,
    KIP2BIS_LANGUAGE,
    LANGUAGE,
    MEASURE_ALD,
    MEASURE_SRK,
    SRK,
    create_programme,
    field_names,
    measure_payload,
    problem,
)


async def count_measures(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    return int((await client.get("/v1/measures", headers=headers)).json()["total"])


async def test_editor_adds_a_measure_serving_a_goal(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bl = token("canton-editor", canton="BL")
    response = await client.post("/v1/measures", json=measure_payload(), headers=bl)
    assert response.status_code == 201, response.text
    measure = response.json()
    assert measure["goal_ids"] == [GOAL_LANGUAGE]
    assert measure["status"] == "planned"
    assert response.headers["location"] == f"/v1/measures/{measure['id']}"
    read = await client.get(f"/v1/measures/{measure['id']}", headers=bl)
    assert read.json() == measure


async def test_measures_filter_by_area_partner_and_status(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bl = token("canton-viewer", canton="BL")
    by_area = await client.get("/v1/measures", params={"funding_area_id": LANGUAGE}, headers=bl)
    assert [m["code"] for m in by_area.json()["items"]] == ["BL-2.01"]
    by_partner = await client.get("/v1/measures", params={"partner_id": SRK}, headers=bl)
    assert [m["code"] for m in by_partner.json()["items"]] == ["BL-4.01"]
    planned = await client.get("/v1/measures", params={"status": "planned"}, headers=bl)
    assert planned.json()["total"] == 0
    everything = await client.get("/v1/measures", params={"programme_id": BL_KIP3}, headers=bl)
    assert everything.json()["total"] == 8


async def test_unknown_funding_area_is_refused_and_nothing_written(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bl = token("canton-editor", canton="BL")
    before = await count_measures(client, bl)
    for area in (str(uuid.uuid4()), KIP2BIS_LANGUAGE):
        response = await client.post("/v1/measures", json=measure_payload(funding_area_id=area), headers=bl)
        assert "body.funding_area_id" in field_names(problem(response, 422))
    assert await count_measures(client, bl) == before


async def test_unknown_partner_and_goal_are_named(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bl = token("canton-editor", canton="BL")
    response = await client.post("/v1/measures", json=measure_payload(partner_id=str(uuid.uuid4())), headers=bl)
    assert "body.partner_id" in field_names(problem(response, 422))
    response = await client.post(
        "/v1/measures", json=measure_payload(goal_ids=[GOAL_LANGUAGE, str(uuid.uuid4())]), headers=bl
    )
    assert "body.goal_ids.1" in field_names(problem(response, 422))


async def test_end_before_start_is_refused(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bl = token("canton-editor", canton="BL")
    response = await client.post(
        "/v1/measures", json=measure_payload(start_date="2026-01-01", end_date="2025-01-01"), headers=bl
    )
    problem(response, 422)
    patch = await client.patch(
        f"/v1/measures/{MEASURE_ALD}", json={"end_date": "2023-01-01"}, headers=bl | {"If-Match": '"1"'}
    )
    assert "body.end_date" in field_names(problem(patch, 422))


async def test_duplicate_code_conflicts(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    response = await client.post(
        "/v1/measures", json=measure_payload(code="BL-1.02"), headers=token("canton-editor", canton="BL")
    )
    problem(response, 409)


async def test_partner_of_another_canton_cannot_deliver(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bs = token("canton-editor", canton="BS")
    programme = await create_programme(client, bs)
    response = await client.post(
        "/v1/measures", json=measure_payload(programme_id=programme["id"], partner_id=ALD, goal_ids=[]), headers=bs
    )
    assert "body.partner_id" in field_names(problem(response, 422))


async def test_partner_sees_only_the_measures_it_delivers(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    ald = token("partner", partner_id=uuid.UUID(ALD))
    listing = await client.get("/v1/measures", headers=ald)
    assert [m["id"] for m in listing.json()["items"]] == [MEASURE_ALD]
    filtered = await client.get("/v1/measures", params={"partner_id": SRK}, headers=ald)
    assert filtered.json()["total"] == 0
    problem(await client.get(f"/v1/measures/{MEASURE_SRK}", headers=ald), 404)
    assert (await client.get(f"/v1/measures/{MEASURE_ALD}", headers=ald)).status_code == 200
    problem(await client.get(f"/v1/programmes/{BL_KIP3}", headers=ald), 404)
    problem(await client.get("/v1/programmes", headers=ald), 403)


async def test_editor_relinks_goals_and_the_version_moves(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bl = token("canton-editor", canton="BL")
    response = await client.patch(
        f"/v1/measures/{MEASURE_ALD}", json={"goal_ids": []}, headers=bl | {"If-Match": '"1"'}
    )
    assert response.status_code == 200, response.text
    assert response.json()["goal_ids"] == []
    assert response.headers["etag"] == '"2"'


async def test_bs_editor_cannot_write_bl_measures(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bs = token("canton-editor", canton="BS")
    problem(await client.post("/v1/measures", json=measure_payload(), headers=bs), 404)
    problem(
        await client.patch(f"/v1/measures/{MEASURE_ALD}", json={"title": "x"}, headers=bs | {"If-Match": '"1"'}), 404
    )
