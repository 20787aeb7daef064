"""Matching on three levels (planned, committed, actual) with the worst flagged, and warnings on writes: a signed
IFK commitment without a plan or a cantonal match can no longer hide behind a `met` plan."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.ids import seed_uuid

pytestmark = pytest.mark.asyncio
Api = Any
INFO = "information_needs_assessment_counselling"
IFK = "federal_integration_credit"
PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))


async def test_an_unmatched_commitment_is_not_met_and_signing_warns(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str]
) -> None:
    assert (await api.allocate("5000000.00")).status_code == 200
    signed = await api.sign(await api.agreement([(2024, INFO, IFK, "5000000.00")]))
    assert signed.status_code == 200, signed.text
    kinds = {(w["type"], w["year"], w["amount"], w["limit"]) for w in signed.json()["warnings"]}
    assert ("committed-matching-not-met", 2024, "5000000.00", "0.00") in kinds
    assert ("commitment-above-plan", 2024, "5000000.00", "0.00") in kinds
    matching = (await client.get(f"/v1/programmes/{PROGRAMME}/matching", headers=sem)).json()
    y2024 = next(y for y in matching["years"] if y["year"] == 2024)
    assert (y2024["planned"]["status"], y2024["committed"]["status"], y2024["actual"]["status"]) == (
        "met",
        "not_met",
        "met",
    )
    assert (y2024["worst"], matching["period"]["worst"], matching["worst"]) == ("not_met", "not_met", "not_met")
    assert (y2024["committed"]["federal_credit"], y2024["committed"]["headroom"]) == ("5000000.00", "-5000000.00")
    report = (await client.get(f"/v1/programmes/{PROGRAMME}/financial-report", headers=sem)).json()
    assert (report["matching"]["status"], report["matching_committed"]["status"], report["matching_worst"]) == (
        "met",
        "not_met",
        "not_met",
    )
    totals = (await client.get("/v1/programmes/financial-totals", headers=sem, params={"year": 2024})).json()
    (bl,) = totals["items"]
    assert (bl["matching"]["status"], bl["matching_committed"]["status"], bl["matching_worst"]) == (
        "met",
        "not_met",
        "not_met",
    )
    listed = (await client.get(f"/v1/programmes/{PROGRAMME}/warnings", headers=editor)).json()
    assert {(w["type"], w["year"]) for w in listed["items"]} >= {
        ("committed-matching-not-met", 2024),
        ("commitment-above-plan", 2024),
    }
    # The canton matches it: the committed matching is met and the warning is gone.
    await api.sign(await api.agreement([(2024, INFO, "canton", "5000000.00")], "srk-bl", ("BL-4.02",)))
    y2024 = (await client.get(f"/v1/programmes/{PROGRAMME}/matching", headers=sem, params={"year": 2024})).json()
    assert y2024["years"][0]["committed"]["status"] == "met"
    listed = (await client.get(f"/v1/programmes/{PROGRAMME}/warnings", headers=editor)).json()
    assert "committed-matching-not-met" not in {w["type"] for w in listed["items"]}


async def test_plan_above_credit_and_ifk_plan_above_allocation_warn(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    credit = await api.credit("1000.00", 2024, 2024)
    line = await api.budget_line(2024, INFO, "canton", "1500.00")
    assert [(w["type"], w["credit_id"], w["over"]) for w in line["warnings"]] == [
        ("plan-above-credit", credit["id"], "500.00")
    ]
    ifk = await api.budget_line(2024, INFO, IFK, "900.00")
    assert ("ifk-plan-above-allocation", 2024, "900.00", "0.00") in {
        (w["type"], w["year"], w["amount"], w["limit"]) for w in ifk["warnings"]
    }
    assert (await api.allocate("1000.00")).status_code == 200
    revised = await client.post(
        f"/v1/budget-lines/{ifk['id']}/revisions",
        headers={**editor, "If-Match": f'"{ifk["version"]}"'},
        json={"amount": "1000.01", "reason": "mehr"},
    )
    assert revised.status_code == 201, revised.text
    assert [(w["type"], w["over"]) for w in revised.json()["warnings"] if w["source"] == IFK] == [
        ("ifk-plan-above-allocation", "0.01")
    ]
    other_year = await api.budget_line(2025, INFO, "canton", "1.00")
    assert [w["type"] for w in other_year["warnings"]] == ["plan-above-credit"]  # a credit concerns every year
