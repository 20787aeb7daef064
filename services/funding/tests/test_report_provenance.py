"""The financial report says which figures rest on illustrative (seeded or estimated) records: a row, a source's
line and the totals are `illustrative` when any budget line, agreement, disbursement or spending behind them is."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.ids import seed_uuid

pytestmark = pytest.mark.asyncio
PROGRAMME = seed_uuid("programme", "BL-KIP3")
LANGUAGE = "language"


def row(report: dict[str, Any], area_code: str, source: str) -> dict[str, Any]:
    area = str(seed_uuid("funding-area", f"KIP3/{area_code}"))
    return next(r for r in report["rows"] if r["funding_area_id"] == area and r["source"] == source)


async def test_a_row_is_illustrative_only_when_a_record_behind_it_is(
    seeded: None, api: Any, client: httpx.AsyncClient, sem: dict[str, str]
) -> None:
    # The seed's budget lines are illustrative; a line recorded through the API (communes for language, a
    # combination the seed has no record of) is not.
    await api.budget_line(2025, LANGUAGE, "communes", "12000.00")
    r = await client.get(f"/v1/programmes/{PROGRAMME}/financial-report", headers=sem, params={"year": 2025})
    assert r.status_code == 200, r.text
    report = r.json()
    seeded_row = row(report, LANGUAGE, "canton")
    recorded_row = row(report, LANGUAGE, "communes")
    assert (seeded_row["original_plan"], seeded_row["illustrative"]) == ("250000.00", True)
    assert (recorded_row["plan_in_force"], recorded_row["illustrative"]) == ("12000.00", False)
    by_source = {s["source"]: s["illustrative"] for s in report["by_source"]}
    assert (by_source["canton"], by_source["communes"]) == (True, True)  # BL's seed plans communes elsewhere
    assert report["totals"]["illustrative"] is True
    totals = await client.get("/v1/programmes/financial-totals", headers=sem, params={"year": 2025, "canton": "BL"})
    assert totals.status_code == 200, totals.text
    (item,) = totals.json()["items"]
    assert {s["source"]: s["illustrative"] for s in item["by_source"]}["canton"] is True
    assert item["totals"]["illustrative"] is True


async def test_recorded_figures_alone_are_not_illustrative(
    api: Any, client: httpx.AsyncClient, sem: dict[str, str]
) -> None:
    await api.budget_line(2025, LANGUAGE, "canton", "250000.00")
    await api.budget_line(2025, LANGUAGE, "federal_integration_credit", "260000.00")
    report = (
        await client.get(f"/v1/programmes/{PROGRAMME}/financial-report", headers=sem, params={"year": 2025})
    ).json()
    assert [r["illustrative"] for r in report["rows"]] == [False, False]
    assert [s["illustrative"] for s in report["by_source"]] == [False, False]
    assert report["totals"]["illustrative"] is False
    totals = (
        await client.get("/v1/programmes/financial-totals", headers=sem, params={"year": 2025, "canton": "BL"})
    ).json()
    assert totals["items"][0]["totals"]["illustrative"] is False
