"""Totals in one aggregate: every programme's figures of a year by source (`/v1/programmes/financial-totals`) and
the disbursements per agreement and status (`/v1/disbursements/totals`), against sums worked out by hand and
against the per-programme financial report; who sees which programme and which agreement."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from funding.budget.models import BudgetLine, BudgetRevision
from funding.funding_programme.models import FundingProgramme
from funding.spending.models import ActualSpending
from kit.ids import seed_uuid

pytestmark = pytest.mark.asyncio
Api = Any
TOTALS = "/v1/programmes/financial-totals"
PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))
LANGUAGE = "language"
IFK = "federal_integration_credit"
PAYER: dict[str, str] = {}
FIGURES = ("original_plan", "plan_in_force", "committed", "disbursed", "spent")


def figures(*amounts: str, illustrative: bool | None = None) -> dict[str, Any]:
    """The five figures; with `illustrative` given, the provenance flag too (as the totals carry it)."""
    result: dict[str, Any] = dict(zip(FIGURES, amounts, strict=True))
    if illustrative is not None:
        result["illustrative"] = illustrative
    return result


async def add_programme(
    app: FastAPI, canton: str, first: int, last: int, lines: tuple[tuple[int, str, str], ...] = ()
) -> str:
    """A programme as another canton's would be registered (the programme service's seed has only BL's), with
    budget lines (year, source, amount) and the same amounts as spending."""
    programme_id = uuid.uuid4()
    area = seed_uuid("funding-area", f"KIP3/{LANGUAGE}")
    async with app.state.session_factory() as session, session.begin():
        session.add(FundingProgramme(id=programme_id, canton=canton, first_year=first, last_year=last))
        await session.flush()
        for year, source, amount in lines:
            line = BudgetLine(programme_id=programme_id, year=year, funding_area_id=area, source=source)
            session.add(line)
            await session.flush()
            revision = BudgetRevision(budget_line_id=line.id, number=1, amount=Decimal(amount), reason="r", author="t")
            session.add(revision)
            session.add(
                ActualSpending(
                    programme_id=programme_id,
                    year=year,
                    funding_area_id=area,
                    source=source,
                    amount=Decimal(amount),
                    recorded_by="t",
                )
            )
    return str(programme_id)


async def decide(client: httpx.AsyncClient, headers: dict[str, str], d: dict[str, Any], *steps: str) -> None:
    """Approve with `headers`, pay as a third person (neither requester nor approver)."""
    version = d["version"]
    for step in steps:
        who = PAYER if step == "pay" else headers
        r = await client.post(f"/v1/disbursements/{d['id']}/{step}", headers={**who, "If-Match": f'"{version}"'})
        assert r.status_code == 200, r.text
        version = r.json()["version"]


@pytest.fixture
async def year_2025(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], editor2: dict[str, str], payer: dict[str, str]
) -> dict[str, Any]:
    """BL's programme in 2025, small enough to add up by hand (see the comments in the tests)."""
    PAYER.clear()
    PAYER.update(payer)
    assert (await api.allocate()).status_code == 200
    for year, source, amount in (
        (2025, IFK, "1000.00"),
        (2025, "canton", "700.00"),
        (2025, "communes", "200.00"),
        (2025, "third_parties", "100.00"),
        (2024, "canton", "5000.00"),
    ):
        line = await api.budget_line(year, LANGUAGE, source, amount)
        if (year, source) == (2025, "canton"):
            r = await client.post(
                f"/v1/budget-lines/{line['id']}/revisions",
                headers={**editor, "If-Match": f'"{line["version"]}"'},
                json={"amount": "750.50", "reason": "Nachtragskredit"},
            )
            assert r.status_code == 201, r.text
    for year, source, amount in ((2025, "canton", "600.00"), (2025, IFK, "900.00"), (2024, "canton", "4000.00")):
        body = {
            "programme_id": PROGRAMME,
            "year": year,
            "funding_area_id": str(seed_uuid("funding-area", f"KIP3/{LANGUAGE}")),
            "source": source,
            "amount": amount,
        }
        assert (await client.post("/v1/spending", headers=editor, json=body)).status_code == 201
    ald = await api.signed([(2025, LANGUAGE, "canton", "300.00"), (2025, LANGUAGE, IFK, "200.00")])
    paid = (await api.request(editor, ald["id"], "100.00", year=2025, area_code=LANGUAGE)).json()
    await decide(client, editor2, paid, "approve", "pay")
    approved = (await api.request(editor, ald["id"], "50.00", year=2025, area_code=LANGUAGE)).json()
    await decide(client, editor2, approved, "approve")
    await api.request(editor, ald["id"], "20.00", year=2025, area_code=LANGUAGE, source=IFK)
    rejected = (await api.request(editor, ald["id"], "0.01", year=2025, area_code=LANGUAGE)).json()
    r = await client.post(
        f"/v1/disbursements/{rejected['id']}/reject",
        headers={**editor2, "If-Match": '"1"'},
        json={"reason": "Beleg fehlt"},
    )
    assert r.status_code == 200, r.text
    heks = await api.signed([(2025, "interpreting", "canton", "400.00")], "heks-bb", ("BL-7.01",))
    for amount, steps in (("80.00", ("approve",)), ("30.00", ("approve", "pay")), ("40.00", ())):
        d = (await api.request(editor, heks["id"], amount, year=2025, area_code="interpreting")).json()
        await decide(client, editor2, d, *steps)
    current = (await client.get(f"/v1/agreements/{heks['id']}", headers=editor)).json()
    r = await client.post(
        f"/v1/agreements/{heks['id']}/terminate", headers={**editor, "If-Match": f'"{current["version"]}"'}
    )
    assert r.status_code == 200, r.text
    return {"ald": ald["id"], "heks": heks["id"]}


async def test_a_years_totals_equal_the_hand_computed_sums_and_the_financial_report(
    year_2025: dict[str, Any], client: httpx.AsyncClient, token: Any
) -> None:
    viewer = token("canton-viewer", canton="BL")
    r = await client.get(TOTALS, params={"year": 2025}, headers=viewer)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["year"] == 2025 and [p["programme_id"] for p in body["items"]] == [PROGRAMME]
    bl = body["items"][0]
    assert (bl["canton"], bl["first_year"], bl["last_year"]) == ("BL", 2024, 2027)
    # Canton: planned 700.00, revised to 750.50; committed 300.00 (ald, signed) + 110.00 (HEKS, terminated: 80.00
    # approved + 30.00 paid; its 40.00 still requested and its 400.00 line no longer count); paid 100.00 + 30.00.
    # IFK: committed 200.00 (ald); the 20.00 requested is not paid. 2024 lines and spending are another year.
    assert {s["source"]: {f: s[f] for f in FIGURES} for s in bl["by_source"]} == {
        IFK: figures("1000.00", "1000.00", "200.00", "0.00", "900.00"),
        "canton": figures("700.00", "750.50", "410.00", "130.00", "600.00"),
        "communes": figures("200.00", "200.00", "0.00", "0.00", "0.00"),
        "third_parties": figures("100.00", "100.00", "0.00", "0.00", "0.00"),
    }
    assert [s["source"] for s in bl["by_source"]] == [IFK, "canton", "communes", "third_parties"]
    assert bl["totals"] == figures("2000.00", "2050.50", "610.00", "130.00", "1500.00", illustrative=False)
    # IFK 1000.00 against canton 750.50 + communes 200.00: third parties do not count by default.
    assert bl["matching"] == {
        "status": "not_met",
        "federal_credit": "1000.00",
        "matched_contributions": "950.50",
        "headroom": "-49.50",
    }
    report = (
        await client.get(f"/v1/programmes/{PROGRAMME}/financial-report", params={"year": 2025}, headers=viewer)
    ).json()
    assert bl["by_source"] == report["by_source"] and bl["totals"] == report["totals"]
    assert bl["matching"] == {k: v for k, v in report["matching"].items() if k != "lines"}


async def test_every_year_of_the_seed_equals_its_financial_report(
    seeded: None, client: httpx.AsyncClient, token: Any
) -> None:
    sem = token("sem")
    for year in range(2024, 2028):
        (bl,) = (await client.get(TOTALS, params={"year": year}, headers=sem)).json()["items"]
        report = (
            await client.get(f"/v1/programmes/{PROGRAMME}/financial-report", params={"year": year}, headers=sem)
        ).json()
        assert (bl["by_source"], bl["totals"]) == (report["by_source"], report["totals"]), year
        assert bl["matching"] == {k: v for k, v in report["matching"].items() if k != "lines"}, year
    (bl,) = (await client.get(TOTALS, params={"year": 2024}, headers=sem)).json()["items"]
    # The hand totals of test_report: plan 1,750,017; committed 620,000; paid 420,000; spent 1,711,017.
    assert bl["totals"] == figures(
        "1750017.00", "1750017.00", "620000.00", "420000.00", "1711017.00", illustrative=True
    )
    assert (bl["matching"]["status"], bl["matching"]["headroom"]) == ("met", "17.00")


async def count_third_parties(client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str]) -> None:
    """SEM lets BL's third-party money count toward the match."""
    settings = await client.get(f"/v1/programmes/{PROGRAMME}/funding-settings", headers=editor)
    r = await client.put(
        f"/v1/programmes/{PROGRAMME}/funding-settings",
        headers={**sem, "If-Match": settings.headers["etag"]},
        json={"third_parties_count_toward_match": True},
    )
    assert r.status_code == 200, r.text


async def test_third_parties_count_toward_the_match_where_the_settings_say_so(
    year_2025: dict[str, Any], client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str]
) -> None:
    await count_third_parties(client, editor, sem)
    (bl,) = (await client.get(TOTALS, params={"year": 2025}, headers=editor)).json()["items"]
    assert bl["matching"] == {
        "status": "met",
        "federal_credit": "1000.00",
        "matched_contributions": "1050.50",
        "headroom": "50.50",
    }


async def test_sem_sees_every_canton_canton_staff_their_own_and_partners_nothing(
    year_2025: dict[str, Any], app: FastAPI, client: httpx.AsyncClient, token: Any
) -> None:
    zh = await add_programme(app, "ZH", 2024, 2027, ((2025, "canton", "10.05"), (2026, "canton", "99.00")))
    ag = await add_programme(app, "AG", 2024, 2027)  # registered, no money yet
    await add_programme(app, "BL", 2018, 2023, ((2023, "canton", "1.00"),))  # an earlier period: not in 2025
    sem = (await client.get(TOTALS, params={"year": 2025}, headers=token("sem"))).json()["items"]
    assert [(p["canton"], p["programme_id"]) for p in sem] == [("AG", ag), ("BL", PROGRAMME), ("ZH", zh)]
    assert sem[0]["by_source"] == [] and sem[0]["totals"] == figures(*["0.00"] * 5, illustrative=False)
    assert (sem[0]["matching"]["status"], sem[0]["matching"]["headroom"]) == ("met", "0.00")
    assert sem[2]["totals"] == figures("10.05", "10.05", "0.00", "0.00", "10.05", illustrative=False)
    only_zh = await client.get(TOTALS, params={"year": 2025, "canton": "ZH"}, headers=token("sem"))
    assert [p["programme_id"] for p in only_zh.json()["items"]] == [zh]
    earlier = await client.get(TOTALS, params={"year": 2023}, headers=token("sem"))
    assert [(p["canton"], p["totals"]["spent"]) for p in earlier.json()["items"]] == [("BL", "1.00")]

    viewer = token("canton-viewer", canton="BL")
    own = (await client.get(TOTALS, params={"year": 2025}, headers=viewer)).json()["items"]
    assert [p["programme_id"] for p in own] == [PROGRAMME]
    foreign = await client.get(TOTALS, params={"year": 2025, "canton": "ZH"}, headers=viewer)
    assert (foreign.status_code, foreign.json()["items"]) == (200, [])
    zh_editor = (await client.get(TOTALS, params={"year": 2025}, headers=token("canton-editor", canton="ZH"))).json()
    assert [p["programme_id"] for p in zh_editor["items"]] == [zh]

    partner = await client.get(
        TOTALS, params={"year": 2025}, headers=token("partner", partner_id=str(seed_uuid("partner", "ald")))
    )
    assert partner.status_code == 403
    assert partner.headers["content-type"].startswith("application/problem+json")
    assert partner.json()["type"] == "/problems/forbidden"
    assert (await client.get(TOTALS, params={"year": 2025})).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "year"),
        ({"year": "1999"}, "year"),
        ({"year": "2025.5"}, "year"),
        ({"year": 2025, "canton": "bl"}, "canton"),
    ],
)
async def test_a_bad_query_is_a_422_naming_the_field(
    client: httpx.AsyncClient, token: Any, params: dict[str, Any], field: str
) -> None:
    r = await client.get(TOTALS, params=params, headers=token("sem"))
    assert r.status_code == 422
    assert r.json()["type"] == "/problems/validation-error"
    assert ["query", field] in [e["loc"] for e in r.json()["errors"]]


def sums_of(items: list[dict[str, Any]]) -> dict[tuple[str, str], tuple[int, Decimal]]:
    result: dict[tuple[str, str], tuple[int, Decimal]] = {}
    for d in items:
        count, amount = result.get((d["agreement_id"], d["status"]), (0, Decimal("0.00")))
        result[(d["agreement_id"], d["status"])] = (count + 1, amount + Decimal(d["amount"]))
    return result


async def test_disbursement_totals_per_agreement_and_status_for_whoever_may_see_them(
    year_2025: dict[str, Any], client: httpx.AsyncClient, token: Any
) -> None:
    ald, heks = year_2025["ald"], year_2025["heks"]
    ald_partner = seed_uuid("partner", "ald")
    as_ald = token("partner", partner_id=str(ald_partner))
    r = await client.get("/v1/disbursements/totals", headers=as_ald)
    assert r.status_code == 200, r.text
    assert r.json()["items"] == [
        {"agreement_id": ald, "partner_id": str(ald_partner), "status": s, "count": 1, "amount": a}
        for s, a in sorted((("paid", "100.00"), ("approved", "50.00"), ("requested", "20.00"), ("rejected", "0.01")))
    ]
    # A partner's filter for another partner's agreement or organisation finds nothing of it.
    for params in ({"agreement_id": heks}, {"partner_id": str(seed_uuid("partner", "heks-bb"))}):
        assert (await client.get("/v1/disbursements/totals", params=params, headers=as_ald)).json()["items"] == []

    viewer = token("canton-viewer", canton="BL")
    everything = (await client.get("/v1/disbursements/totals", headers=viewer)).json()["items"]
    listed = (await client.get("/v1/disbursements", params={"limit": 500}, headers=viewer)).json()["items"]
    assert {(t["agreement_id"], t["status"]): (t["count"], Decimal(t["amount"])) for t in everything} == sums_of(listed)
    heks_only = (await client.get("/v1/disbursements/totals", params={"agreement_id": heks}, headers=viewer)).json()
    assert {(t["status"], t["count"], t["amount"]) for t in heks_only["items"]} == {
        ("approved", 1, "80.00"),
        ("paid", 1, "30.00"),
        ("requested", 1, "40.00"),
    }
    by_programme = await client.get("/v1/disbursements/totals", params={"programme_id": PROGRAMME}, headers=viewer)
    assert by_programme.json()["items"] == everything
    sem = (await client.get("/v1/disbursements/totals", headers=token("sem"))).json()["items"]
    assert sem == everything
    zh = (await client.get("/v1/disbursements/totals", headers=token("canton-viewer", canton="ZH"))).json()
    assert zh["items"] == []
    bad = await client.get("/v1/disbursements/totals", params={"agreement_id": "nope"}, headers=viewer)
    assert bad.status_code == 422 and ["query", "agreement_id"] in [e["loc"] for e in bad.json()["errors"]]


async def _same_checks_without_lines(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    """Compares the report with and without match lines for 2024, 2025 and the period; the statuses seen."""
    statuses, lines = [], 0
    for params in ({"year": 2024}, {"year": 2025}, {}):
        url = f"/v1/programmes/{PROGRAMME}/financial-report"
        full = (await client.get(url, params=params, headers=headers)).json()
        lean = (await client.get(url, params={**params, "match_lines": "false"}, headers=headers)).json()
        for level in ("matching", "matching_committed", "matching_actual"):
            assert lean[level]["lines"] == [], (params, level)
            assert {k: v for k, v in full[level].items() if k != "lines"} == {
                k: v for k, v in lean[level].items() if k != "lines"
            }, (params, level)
            statuses.append(full[level]["status"])
            lines += len(full[level]["lines"])
        assert {k: v for k, v in full.items() if not k.startswith("matching")} == {
            k: v for k, v in lean.items() if not k.startswith("matching")
        }
        assert full["matching_worst"] == lean["matching_worst"]
    assert lines > 0  # the full report did list lines
    return statuses


async def test_a_report_without_match_lines_has_the_same_checks(
    year_2025: dict[str, Any], client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str]
) -> None:
    statuses = await _same_checks_without_lines(client, editor)
    assert {"met", "not_met"} <= set(statuses)  # both outcomes compared, not one
    await count_third_parties(client, editor, sem)
    assert await _same_checks_without_lines(client, editor) != statuses  # third parties changed an outcome
    url = f"/v1/programmes/{PROGRAMME}/financial-report"
    unclear = await client.get(url, params={"match_lines": "perhaps"}, headers=editor)
    assert (unclear.status_code, unclear.json()["errors"][0]["loc"]) == (422, ["query", "match_lines"])
