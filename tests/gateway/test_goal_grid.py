"""The goal grid (Zielraster) workbook: the programme's goals, their measures, indicators and targets per year."""

from __future__ import annotations

import io
from decimal import Decimal

import httpx
from openpyxl import load_workbook

from gateway.export import XLSX_MEDIA_TYPE
from tests.gateway.conftest import BL_KIP3, TokenFactory, needs

URL = f"/api/v1/programmes/{BL_KIP3}/goal-grid.xlsx"

pytestmark = needs("programme", "evaluation")


async def test_goal_grid_holds_every_goal_and_the_targets_the_evaluation_service_keeps(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    viewer = token("canton-viewer", canton="BL")
    r = await client.get(URL, headers=viewer)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX_MEDIA_TYPE
    sheet = load_workbook(io.BytesIO(r.content))["Zielraster"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    header, body = rows[0], rows[1:]
    assert header[:7] == ["Förderbereich", "Nr.", "Ziel", "Stufe", "Massnahmen", "Indikator", "Einheit"]
    assert header[7:] == [f"Zielwert {y}" for y in range(2024, 2028)]
    goals = (await client.get(f"/api/programme/v1/programmes/{BL_KIP3}/goals", headers=viewer)).json()
    goals = goals["items"] if isinstance(goals, dict) else goals
    assert goals and {g["code"] for g in goals} == {row[1] for row in body}
    indicators = (
        await client.get("/api/evaluation/v1/indicators", headers=viewer, params={"programme_id": str(BL_KIP3)})
    ).json()
    indicators = indicators["items"] if isinstance(indicators, dict) else indicators
    checked = 0
    for indicator in indicators:
        if indicator.get("goal_id") is None:
            continue
        targets = (await client.get(f"/api/evaluation/v1/indicators/{indicator['id']}/targets", headers=viewer)).json()
        row = next(r for r in body if r[5] == f"{indicator['code']} {indicator['title']}")
        for target in targets:
            cell = row[7 + target["year"] - 2024]
            assert Decimal(str(cell)) == Decimal(target["value"]), (indicator["code"], target["year"])
            checked += 1
    assert checked > 0


async def test_goal_grid_is_for_cantons_and_sem_only(client: httpx.AsyncClient, token: TokenFactory) -> None:
    assert (await client.get(URL, headers=token("sem"))).status_code == 200
    assert (await client.get(URL, headers=token("partner", partner="ald"))).status_code == 403
    assert (await client.get(URL, headers=token("canton-viewer", canton="ZH"))).status_code == 404
