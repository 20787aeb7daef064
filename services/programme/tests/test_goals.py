"""Goals: SEM's strategic goals, the canton's outcome and output goals beneath them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from programme_factories import ALD, BL_KIP3, GOAL_LANGUAGE, LANGUAGE, field_names, problem

from kit.ids import seed_uuid


async def test_canton_adds_outcome_and_output_goals_beneath_sem_goal(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bl = token("canton-editor", canton="BL")
    outcome = await client.post(
        "/v1/goals",
        json={
            "funding_area_id": LANGUAGE,
            "programme_id": BL_KIP3,
            "parent_id": GOAL_LANGUAGE,
            "level": "outcome",
            "code": "2.1.a",
            "title": "Mehr Erwachsene erreichen A2",
        },
        headers=bl,
    )
    assert outcome.status_code == 201, outcome.text
    output = await client.post(
        "/v1/goals",
        json={
            "funding_area_id": LANGUAGE,
            "programme_id": BL_KIP3,
            "parent_id": outcome.json()["id"],
            "level": "output",
            "code": "2.1.a.1",
            "title": "400 subventionierte Kursplätze pro Jahr",
        },
        headers=bl,
    )
    assert output.status_code == 201, output.text
    tree = await client.get(f"/v1/programmes/{BL_KIP3}/goals", params={"funding_area_id": LANGUAGE}, headers=bl)
    assert [g["level"] for g in tree.json()] == ["outcome", "output", "strategic"]


async def test_output_goal_needs_an_outcome_parent(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bl = token("canton-editor", canton="BL")
    response = await client.post(
        "/v1/goals",
        json={
            "funding_area_id": LANGUAGE,
            "programme_id": BL_KIP3,
            "parent_id": GOAL_LANGUAGE,
            "level": "output",
            "code": "x",
            "title": "x",
        },
        headers=bl,
    )
    assert "body.parent_id" in field_names(problem(response, 422))


async def test_strategic_goals_are_sem_only(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    payload = {"funding_area_id": LANGUAGE, "level": "strategic", "code": "2.9", "title": "Neues Ziel"}
    problem(await client.post("/v1/goals", json=payload, headers=token("canton-editor", canton="BL")), 403)
    created = await client.post("/v1/goals", json=payload, headers=token("sem"))
    assert created.status_code == 201


async def test_partner_reads_strategic_goals_but_not_cantonal_ones(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bl = token("canton-editor", canton="BL")
    cantonal = await client.post(
        "/v1/goals",
        json={"funding_area_id": LANGUAGE, "programme_id": BL_KIP3, "level": "outcome", "code": "c", "title": "c"},
        headers=bl,
    )
    ald = token("partner", partner_id=uuid.UUID(ALD))
    assert (await client.get(f"/v1/goals/{GOAL_LANGUAGE}", headers=ald)).status_code == 200
    problem(await client.get(f"/v1/goals/{cantonal.json()['id']}", headers=ald), 404)


async def test_goal_update_is_guarded_by_etag(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    sem = token("sem")
    goal = str(seed_uuid("goal", "KIP3/7.1"))
    ok = await client.patch(
        f"/v1/goals/{goal}", json={"title": "Qualifizierte Dolmetschende"}, headers=sem | {"If-Match": '"1"'}
    )
    assert ok.status_code == 200
    problem(await client.patch(f"/v1/goals/{goal}", json={"title": "y"}, headers=sem | {"If-Match": '"1"'}), 412)
