"""The SEM overview and the partner view read sums computed by the funding service in one aggregate; their figures
are the ones the per-programme financial report and the disbursements themselves add up to."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from fastapi import FastAPI

from kit.ids import seed_uuid
from kit.settings import AuthSettings
from tests.gateway.conftest import BL_KIP3, Platform, TokenFactory, gateway_app, needs

OVERVIEW = "/api/v1/views/sem/programmes"
ME = "/api/v1/views/partners/me"
FIGURES = ("original_plan", "plan_in_force", "committed", "disbursed", "spent")


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


@needs("funding", "evaluation")
async def test_sem_overview_totals_equal_each_programmes_financial_report_every_year(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    sem = token("sem")
    for year in range(2024, 2028):
        response = await client.get(OVERVIEW, params={"period": "KIP3", "year": year}, headers=sem)
        assert response.status_code == 200, response.text
        view = response.json()
        assert view["degraded"] == [] and view["programmes"], year
        for row in view["programmes"]:
            report = await client.get(
                f"/api/funding/v1/programmes/{row['programme']['id']}/financial-report",
                params={"year": year},
                headers=sem,
            )
            assert report.status_code == 200, report.text
            expected = report.json()
            assert row["by_source"] == [
                {k: s[k] for k in ("source", *FIGURES, "illustrative")} for s in expected["by_source"]
            ]
            assert row["totals"] == expected["totals"]
            assert (row["matching_status"], row["headroom"]) == (
                expected["matching"]["status"],
                expected["matching"]["headroom"],
            )
            assert (row["matching_committed_status"], row["matching_actual_status"], row["matching_worst"]) == (
                expected["matching_committed"]["status"],
                expected["matching_actual"]["status"],
                expected["matching_worst"],
            )
    bl = next(p for p in view["programmes"] if p["programme"]["id"] == str(BL_KIP3))
    assert Decimal(bl["totals"]["plan_in_force"]) > 0
    # BL's seeded figures are illustrative, and the overview says so like the financial report.
    assert bl["totals"]["illustrative"] is True and all(s["illustrative"] for s in bl["by_source"])


@needs("funding", "evaluation")
async def test_sem_overview_with_funding_down_names_every_programmes_finances(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory
) -> None:
    app = gateway_app(platform, auth_settings, down=("funding",))
    async with app.router.lifespan_context(app), _client(app) as client:
        response = await client.get(OVERVIEW, params={"period": "KIP3", "year": 2025}, headers=token("sem"))
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["degraded"] == sorted(f"finances:{p['programme']['canton']}" for p in view["programmes"])
    assert all(p["totals"] is None and p["by_source"] is None for p in view["programmes"])
    assert all(p["matching_status"] is None and p["headroom"] is None for p in view["programmes"])
    assert all(p["annual_report"] is not None for p in view["programmes"])


@needs("funding", "evaluation")
async def test_sem_overview_of_a_year_outside_the_period_names_the_finances_it_has_not(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await client.get(OVERVIEW, params={"period": "KIP3", "year": 2030}, headers=token("sem"))
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["programmes"] and all(p["totals"] is None for p in view["programmes"])
    assert view["degraded"] == sorted(f"finances:{p['programme']['canton']}" for p in view["programmes"])


def _sums(disbursements: list[dict[str, Any]]) -> dict[str, tuple[int, Decimal]]:
    sums: dict[str, tuple[int, Decimal]] = {}
    for d in disbursements:
        count, amount = sums.get(d["status"], (0, Decimal("0.00")))
        sums[d["status"]] = (count + 1, amount + Decimal(d["amount"]))
    return sums


@needs("funding", "evaluation")
async def test_partner_view_payments_are_the_sums_of_its_own_disbursements_per_status(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    ald = token("partner", partner="ald")
    view = (await client.get(ME, headers=ald)).json()
    assert view["degraded"] == []
    assert view["agreements"] and {a["partner_id"] for a in view["agreements"]} == {str(seed_uuid("partner", "ald"))}
    paid_somewhere = False
    for agreement in view["agreements"]:
        listed = await client.get(
            "/api/funding/v1/disbursements", params={"agreement_id": agreement["id"], "limit": 500}, headers=ald
        )
        assert listed.status_code == 200, listed.text
        expected = _sums(listed.json()["items"])
        got = {p["status"]: (p["count"], Decimal(p["amount"])) for p in agreement["payments"]}
        assert got == expected, agreement["id"]
        assert "disbursements" not in agreement, "sums per status, not every disbursement"
        paid_somewhere = paid_somewhere or "paid" in got
    assert paid_somewhere, "the seed pays ald: the sums must show it"

    # Another partner's view carries none of these agreements or their sums.
    heks = (await client.get(ME, headers=token("partner", partner="heks-bb"))).json()
    ald_agreements = {a["id"] for a in view["agreements"]}
    assert not ald_agreements & {a["id"] for a in heks["agreements"]}
    assert all(a["partner_id"] == str(seed_uuid("partner", "heks-bb")) for a in heks["agreements"])


@needs("funding", "evaluation")
async def test_partner_view_with_funding_down_is_degraded_without_agreements_or_payments(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory
) -> None:
    app = gateway_app(platform, auth_settings, down=("funding",))
    async with app.router.lifespan_context(app), _client(app) as client:
        response = await client.get(ME, headers=token("partner", partner="ald"))
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["degraded"] == ["agreements", "payments"]
    assert view["agreements"] == [] and view["measures"]
