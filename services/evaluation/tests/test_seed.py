"""The seed: BL's three planned KIP 3 evaluations, its indicators, SEM's national goals; idempotent, marked."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from evaluation.seed import seed
from kit.ids import seed_uuid


async def test_the_seed_holds_bl_s_evaluations_and_is_idempotent(
    app: FastAPI, client: httpx.AsyncClient, viewer: dict[str, str], seeded: None, ids: Any
) -> None:
    async with app.state.session_factory() as session, session.begin():
        assert await seed(session) == 0  # a second run adds nothing

    items = (await client.get("/v1/evaluations", params={"programme_id": str(ids.programme)}, headers=viewer)).json()
    by_title = {e["title"]: e for e in items["items"]}
    assert len(by_title) == 3
    study = by_title["Bedarfsstudie «Kantonal unterstützte Sprachförderung im Ausländerbereich BL»"]
    assert (study["contractor"], study["budget"], study["actual_start"], study["status"]) == (
        "ZHAW",
        "89457.00",
        "2025-01-01",
        "running",
    )
    assert "BKSD" in study["commissioned_by"]
    assert study["id"] == str(seed_uuid("evaluation", "BL-KIP3/language-course-subsidies"))
    ald = by_title["Evaluation des ald-Angebots «Information und Beratung»"]
    assert ald["contractor"] is None and ald["illustrative"] is True and "not found" in ald["source"]
    assert ald["partner_ids"] == [ids.partner("ald")]


async def test_seeded_indicators_cover_the_priority_areas_and_mark_illustrative_values(
    client: httpx.AsyncClient, viewer: dict[str, str], seeded: None, ids: Any
) -> None:
    indicators = (
        await client.get("/v1/indicators", params={"programme_id": str(ids.programme)}, headers=viewer)
    ).json()
    by_code = {i["code"]: i for i in indicators}
    assert by_code["BL-1.01-a"]["measure_id"] == ids.measure("BL-1.01")
    assert by_code["BL-1.02-a"]["measure_id"] == ids.measure("BL-1.02")
    assert by_code["BL-2.01-a"]["measure_id"] == ids.measure("BL-2.01")
    assert by_code["BL-4.01-a"]["measure_id"] == ids.measure("BL-4.01")
    assert {c for c, i in by_code.items() if i["national"]} == {"IAS-1", "IAS-2", "IAS-3", "IAS-4", "IAS-5"}
    assert all(i["illustrative"] and i["source"] for c, i in by_code.items() if not i["national"])
    values = (await client.get(f"/v1/indicators/{by_code['BL-2.01-a']['id']}/values", headers=viewer)).json()
    assert values and all(v["illustrative"] for v in values)
    goals = (await client.get("/v1/national-goals", headers=viewer)).json()
    assert [g["code"] for g in goals] == ["IAS-1", "IAS-2", "IAS-3", "IAS-4", "IAS-5"]
    rules = (await client.get(f"/v1/indicators/{by_code['BL-2.01-b']['id']}/rules", headers=viewer)).json()
    assert rules[0]["upper_indicator_id"] == by_code["BL-2.01-a"]["id"]
