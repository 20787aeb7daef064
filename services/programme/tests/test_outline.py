"""A programme's outline: the same items as the four reads it stands for, for the same readers."""

from __future__ import annotations

from typing import Any

import httpx
from programme_factories import ALD, BL_KIP3, create_programme, measure_payload


async def _four_reads(client: httpx.AsyncClient, headers: dict[str, str], programme_id: str) -> dict[str, Any]:
    measures: list[dict[str, Any]] = []
    while True:
        page = (
            await client.get(
                "/v1/measures",
                params={"programme_id": programme_id, "limit": 2, "offset": len(measures)},
                headers=headers,
            )
        ).json()
        measures += page["items"]
        if not page["items"] or len(measures) >= page["total"]:
            break
    return {
        "programme": (await client.get(f"/v1/programmes/{programme_id}", headers=headers)).json(),
        "funding_areas": (await client.get(f"/v1/programmes/{programme_id}/funding-areas", headers=headers)).json(),
        "goals": (await client.get(f"/v1/programmes/{programme_id}/goals", headers=headers)).json(),
        "measures": measures,
    }


async def test_the_outline_holds_what_the_four_reads_answer(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bl = token("canton-editor", canton="BL")
    for n in range(3):  # more measures than one page of the reads compared with, each serving a goal
        created = await client.post("/v1/measures", json=measure_payload(code=f"BL-OUT-{n}"), headers=bl)
        assert created.status_code == 201, created.text
    for headers in (bl, token("canton-viewer", canton="BL"), token("sem")):
        outline = await client.get(f"/v1/programmes/{BL_KIP3}/outline", headers=headers)
        assert outline.status_code == 200, outline.text
        body = outline.json()
        assert body == await _four_reads(client, headers, BL_KIP3)
        assert len(body["measures"]) >= 3 and all(m["goal_ids"] for m in body["measures"][-3:])
        assert body["funding_areas"] and body["goals"]


async def test_another_cantons_or_a_partners_outline_is_not_found(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    zh = await create_programme(client, token("canton-editor", canton="ZH"), canton="ZH", title="KIP 3 Zürich")
    readers = {
        "BL reading ZH": (token("canton-viewer", canton="BL"), zh["id"]),
        "ZH reading BL": (token("canton-editor", canton="ZH"), BL_KIP3),
        "a partner": (token("partner", partner_id=ALD), BL_KIP3),
    }
    for who, (headers, programme_id) in readers.items():
        r = await client.get(f"/v1/programmes/{programme_id}/outline", headers=headers)
        assert r.status_code == 404, who
        assert r.headers["content-type"].startswith("application/problem+json"), who
    assert (await client.get(f"/v1/programmes/{zh['id']}/outline", headers=token("sem"))).status_code == 200


async def test_an_outline_of_no_programme_id_is_a_422_naming_it(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    r = await client.get("/v1/programmes/not-a-programme/outline", headers=token("sem"))
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["loc"] == ["path", "programme_id"]
