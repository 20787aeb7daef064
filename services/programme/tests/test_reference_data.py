"""Periods and funding areas: national reference data, the KIP 2bis → KIP 3 mapping."""

from __future__ import annotations

from typing import Any

import httpx
from programme_factories import INFORMATION, KIP2BIS_LANGUAGE, field_names, problem


async def test_kip3_has_seven_areas_with_official_german_names(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    response = await client.get("/v1/funding-areas", params={"period": "KIP3"}, headers=token("sem"))
    assert response.status_code == 200
    areas = response.json()
    assert [a["position"] for a in areas] == [1, 2, 3, 4, 5, 6, 7]
    assert areas[0]["name"]["de"] == "Information, Abklärung Integrationsbedarf und Beratung"
    assert areas[6]["name"]["de"] == "Dolmetschen"


async def test_kip3_area_one_continues_two_kip2bis_areas(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    response = await client.get(f"/v1/funding-areas/{INFORMATION}", headers=token("canton-viewer", canton="BL"))
    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    assert sorted(p["code"] for p in response.json()["predecessors"]) == ["1.1", "1.2"]
    kip2bis = await client.get("/v1/funding-areas", params={"period": "KIP2bis"}, headers=token("sem"))
    assert len(kip2bis.json()) == 8
    mapped = await client.get("/v1/funding-areas", params={"period": "KIP3"}, headers=token("sem"))
    predecessors = {p["code"] for a in mapped.json() for p in a["predecessors"]}
    assert predecessors == {a["code"] for a in kip2bis.json()}, "every KIP 2bis area continues in KIP 3"


async def test_sem_defines_a_period_and_an_area_continuing_an_earlier_one(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    period = await client.post(
        "/v1/periods",
        json={"code": "KIP4", "title": "KIP 4", "first_year": 2028, "last_year": 2031},
        headers=token("sem"),
    )
    assert period.status_code == 201, period.text
    area = await client.post(
        "/v1/funding-areas",
        json={
            "period_id": period.json()["id"],
            "code": "language",
            "position": 2,
            "name": {"de": "Sprache", "fr": "Langue"},
            "pillar": 2,
            "predecessor_ids": [KIP2BIS_LANGUAGE],
        },
        headers=token("sem"),
    )
    assert area.status_code == 201, area.text
    assert area.json()["name"] == {"de": "Sprache", "fr": "Langue", "it": None}
    assert area.json()["pillar_name"] == "Bildung und Arbeit"


async def test_a_period_whose_end_precedes_its_start_is_refused(client: httpx.AsyncClient, token: Any) -> None:
    response = await client.post(
        "/v1/periods",
        json={"code": "BAD", "title": "Backwards", "first_year": 2027, "last_year": 2024},
        headers=token("sem"),
    )
    assert "body" in field_names(problem(response, 422))
    listing = await client.get("/v1/periods", headers=token("sem"))
    assert listing.json() == []


async def test_a_canton_cannot_define_periods(client: httpx.AsyncClient, token: Any) -> None:
    response = await client.post(
        "/v1/periods",
        json={"code": "KIP9", "title": "x", "first_year": 2030, "last_year": 2031},
        headers=token("canton-editor", canton="BL"),
    )
    problem(response, 403)


async def test_an_area_cannot_continue_an_area_of_its_own_period(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    from kit.ids import seed_uuid

    response = await client.post(
        "/v1/funding-areas",
        json={
            "period_id": str(seed_uuid("period", "KIP3")),
            "code": "new",
            "position": 8,
            "name": {"de": "Neu"},
            "pillar": 1,
            "predecessor_ids": [INFORMATION],
        },
        headers=token("sem"),
    )
    assert "body.predecessor_ids.0" in field_names(problem(response, 422))
