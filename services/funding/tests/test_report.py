"""The financial report and the settlement on Basel-Landschaft's seed, against totals worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from funding import seed_data
from kit.ids import seed_uuid

pytestmark = pytest.mark.asyncio
PROGRAMME = seed_uuid("programme", "BL-KIP3")
IFK = "federal_integration_credit"


def cell(report: dict[str, Any], area_code: str, source: str) -> dict[str, Any]:
    area = str(seed_uuid("funding-area", f"KIP3/{area_code}"))
    return next(r for r in report["rows"] if r["funding_area_id"] == area and r["source"] == source)


async def test_the_seed_is_consistent_with_the_public_figures() -> None:
    canton = sum(p["canton"] for p in seed_data.YEARLY_PLAN.values()) * 4
    federal = sum(p[IFK] for p in seed_data.YEARLY_PLAN.values()) * 4
    assert canton == seed_data.CREDIT["amount"] == Decimal("3392068")
    assert federal == Decimal("3500000")
    assert canton + federal + sum(p.get("communes", 0) for p in seed_data.YEARLY_PLAN.values()) * 4 > 7_000_000


async def test_the_report_for_2024_equals_the_hand_computed_totals(
    seeded: None, client: httpx.AsyncClient, token: Any
) -> None:
    r = await client.get(
        f"/v1/programmes/{PROGRAMME}/financial-report",
        headers=token("canton-viewer", canton="BL"),
        params={"year": 2024},
    )
    assert r.status_code == 200, r.text
    report = r.json()
    # Plan: canton 848,017 + IFK 875,000 + communes 27,000. Committed: ald 360,000 + SRK 120,000 + HEKS 140,000.
    # Paid: ald 90,000 + 90,000 + 180,000 (IFK), SRK 60,000. Spent: canton 835,017 + IFK 850,000 + communes 26,000.
    assert report["totals"] == {
        "original_plan": "1750017.00",
        "plan_in_force": "1750017.00",
        "committed": "620000.00",
        "disbursed": "420000.00",
        "spent": "1711017.00",
        "illustrative": True,
    }
    assert cell(report, "information_needs_assessment_counselling", "canton") == {
        "funding_area_id": str(seed_uuid("funding-area", "KIP3/information_needs_assessment_counselling")),
        "source": "canton",
        "original_plan": "280000.00",
        "plan_in_force": "280000.00",
        "committed": "220000.00",
        "disbursed": "180000.00",
        "spent": "275000.00",
        "illustrative": True,
    }
    by_source = {s["source"]: s for s in report["by_source"]}
    assert (by_source["canton"]["plan_in_force"], by_source[IFK]["committed"]) == ("848017.00", "310000.00")
    assert (report["matching"]["status"], report["matching"]["headroom"]) == ("met", "17.00")
    assert (report["matching_actual"]["status"], report["matching_actual"]["headroom"]) == ("met", "11017.00")
    # The Landrat's credit: 3,392,068 less the canton's commitments of 310,000 a year for four years.
    assert report["credit"] == {
        "credit_id": str(seed_uuid("credit", "BL-KIP3/landrat-2023")),
        "body": "Landrat Basel-Landschaft",
        "amount": "3392068.00",
        "used": "1240000.00",
        "left": "2152068.00",
    }


async def test_the_report_for_the_period_shows_original_and_revised_plans(
    seeded: None, client: httpx.AsyncClient, token: Any
) -> None:
    report = (await client.get(f"/v1/programmes/{PROGRAMME}/financial-report", headers=token("sem"))).json()
    assert report["year"] is None
    assert report["totals"] == {
        "original_plan": "7000068.00",
        "plan_in_force": "7000068.00",
        "committed": "2480000.00",
        "disbursed": "420000.00",
        "spent": "1711017.00",
        "illustrative": True,
    }
    language = cell(report, "language", "canton")
    interpreting = cell(report, "interpreting", "canton")
    assert (language["original_plan"], language["plan_in_force"]) == ("1000000.00", "1010000.00")
    assert (interpreting["original_plan"], interpreting["plan_in_force"]) == ("160000.00", "150000.00")
    assert {s["source"]: s["plan_in_force"] for s in report["by_source"]} == {
        IFK: "3500000.00",
        "canton": "3392068.00",
        "communes": "108000.00",
    }
    assert (
        report["matching"]["federal_credit"],
        report["matching"]["matched_contributions"],
        report["matching"]["headroom"],
    ) == ("3500000.00", "3500068.00", "68.00")


async def test_only_readers_of_the_canton_get_the_report(seeded: None, client: httpx.AsyncClient, token: Any) -> None:
    url = f"/v1/programmes/{PROGRAMME}/financial-report"
    assert (await client.get(url, headers=token("canton-editor", canton="ZH"))).status_code == 404
    assert (
        await client.get(url, headers=token("partner", partner_id=str(seed_uuid("partner", "ald"))))
    ).status_code == 404
    assert (await client.get(url, params={"year": 2023}, headers=token("sem"))).status_code == 422


@pytest.mark.parametrize(
    ("as_of", "goals_met", "stage", "usable", "refund"),
    [
        ("2025-06-30", True, "running", "462500.00", "0.00"),
        ("2029-06-30", True, "carry_over", "462500.00", "0.00"),
        ("2030-01-01", True, "final", "0.00", "462500.00"),
        ("2028-03-01", False, "carry_over", "0.00", "462500.00"),
    ],
)
async def test_the_settlement_splits_unspent_federal_money(
    seeded: None,
    client: httpx.AsyncClient,
    token: Any,
    goals: Any,
    as_of: str,
    goals_met: bool,
    stage: str,
    usable: str,
    refund: str,
) -> None:
    await goals("100" if goals_met else "60")
    r = await client.get(f"/v1/programmes/{PROGRAMME}/settlement", headers=token("sem"), params={"as_of": as_of})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["goals_met"] is goals_met
    ifk = next(s for s in body["sources"] if s["source"] == IFK)
    # Received 875,000 + 437,500; spent 850,000 in 2024; matched by canton 835,017 + communes 26,000.
    assert (ifk["received"], ifk["spent_in_period"], ifk["unspent_at_period_end"], ifk["unmatched"]) == (
        "1312500.00",
        "850000.00",
        "462500.00",
        "0.00",
    )
    assert (body["stage"], body["carry_over_until"]) == (stage, "2029-12-31")
    assert (ifk["usable_within_two_years"], ifk["to_refund"]) == (usable, refund)
    assert body["totals"]["to_refund"] == refund


async def test_unmatched_federal_credit_is_refunded_and_carry_over_spending_counts(
    api: Any, client: httpx.AsyncClient, editor: dict[str, str], token: Any, goals: Any
) -> None:
    await goals("100")
    sem = token("sem")
    area = str(seed_uuid("funding-area", "KIP3/language"))
    assert (await api.allocate()).status_code == 200
    r = await client.post(
        "/v1/federal-payments",
        headers=sem,
        json={
            "programme_id": str(PROGRAMME),
            "year": 2024,
            "source": IFK,
            "amount": "1000.00",
            "value_date": "2024-06-30",
        },
    )
    assert r.status_code == 201, r.text
    refused = await client.post(
        "/v1/federal-payments",
        headers=editor,
        json={
            "programme_id": str(PROGRAMME),
            "year": 2024,
            "source": IFK,
            "amount": "1.00",
            "value_date": "2024-06-30",
        },
    )
    assert refused.status_code == 403
    for year, source, amount in ((2027, IFK, "700.00"), (2027, "canton", "600.00"), (2028, IFK, "100.00")):
        r = await client.post(
            "/v1/spending",
            headers=editor,
            json={
                "programme_id": str(PROGRAMME),
                "year": year,
                "funding_area_id": area,
                "source": source,
                "amount": amount,
            },
        )
        assert r.status_code == 201, r.text
    body = (
        await client.get(f"/v1/programmes/{PROGRAMME}/settlement", headers=editor, params={"as_of": "2028-06-30"})
    ).json()
    ifk = next(s for s in body["sources"] if s["source"] == IFK)
    assert (ifk["unspent_at_period_end"], ifk["unmatched"], ifk["spent_in_carry_over"]) == (
        "300.00",
        "100.00",
        "100.00",
    )
    assert (ifk["usable_within_two_years"], ifk["to_refund"]) == ("200.00", "100.00")


@pytest.mark.parametrize("year", [2024, None])
async def test_each_area_is_summed_over_its_sources(
    seeded: None, client: httpx.AsyncClient, token: Any, year: int | None
) -> None:
    """`by_area` is the sum of each area's rows (every figure, and the illustrative flag), one entry per area with
    rows; only the programme's readers get it (another canton, and partners, are answered 404)."""
    url = f"/v1/programmes/{PROGRAMME}/financial-report"
    params = {"year": year} if year else {}
    r = await client.get(url, params=params, headers=token("canton-viewer", canton="BL"))
    assert r.status_code == 200, r.text
    assert r.headers["etag"]
    report = r.json()
    figures = ("original_plan", "plan_in_force", "committed", "disbursed", "spent")
    expected: dict[str, dict[str, Any]] = {}
    for row in report["rows"]:
        area = expected.setdefault(
            row["funding_area_id"], {**dict.fromkeys(figures, Decimal(0)), "illustrative": False}
        )
        for f in figures:
            area[f] += Decimal(row[f])
        area["illustrative"] = area["illustrative"] or row["illustrative"]
    assert len(report["by_area"]) == len(expected) > 1
    assert [a["funding_area_id"] for a in report["by_area"]] == sorted(expected)
    for a in report["by_area"]:
        want = expected[a["funding_area_id"]]
        assert {f: Decimal(a[f]) for f in figures} == {f: want[f] for f in figures}
        assert a["illustrative"] is want["illustrative"]
    total = {f: sum(Decimal(a[f]) for a in report["by_area"]) for f in figures}
    assert total == {f: Decimal(report["totals"][f]) for f in figures}
    for headers in (
        token("canton-viewer", canton="ZH"),
        token("partner", partner_id=str(seed_uuid("partner", "ald"))),
        token("partner", partner_id=str(seed_uuid("partner", "srk-bl"))),
    ):
        foreign = await client.get(url, params=params, headers=headers)
        assert foreign.status_code == 404
        assert foreign.headers["content-type"].startswith("application/problem+json")
        assert "by_area" not in foreign.json()
