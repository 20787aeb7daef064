"""Random money operations through the gateway (a seeded sequence): budget lines, agreements signed with canton and
IFK lines within SEM's (seeded) federal allocation, SEM's federal payments, the partner's disbursement requests,
approvals and payments by different canton people, actual spending. After every few operations, for each year,
every total by source (and the grand total) is the same in funding's financial report, the canton cockpit, the SEM
overview, the annual report's JSON and its workbook's finances sheet; for the whole period, in the financial report
and the cockpit.

`KIP_VIEW_MONEY_OPERATIONS` sets how many operations run (default 30), `KIP_VIEW_MONEY_SEED` the seed.
"""

from __future__ import annotations

import io
import os
import random
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from services.funding.tests.conftest import Api, area
from tests.gateway.conftest import BL_KIP3, TokenFactory, needs

pytestmark = [needs("funding", "evaluation"), pytest.mark.usefixtures("changes_data")]

FIGURES = ("original_plan", "plan_in_force", "committed", "disbursed", "spent")
AREAS = ("information_needs_assessment_counselling", "language")
SOURCES = ("canton", "federal_integration_credit")
IFK = "federal_integration_credit"
YEARS = (2024, 2025)
OPERATIONS = int(os.environ.get("KIP_VIEW_MONEY_OPERATIONS", "30"))
SEED = int(os.environ.get("KIP_VIEW_MONEY_SEED", "20261129"))
CENT = Decimal("0.01")
Totals = dict[str, tuple[Decimal, ...]]


def _figures(line: dict[str, Any]) -> tuple[Decimal, ...]:
    return tuple(Decimal(line[f]) for f in FIGURES)


def _by_source(lines: list[dict[str, Any]], totals: dict[str, Any]) -> Totals:
    found = {line["source"]: _figures(line) for line in lines}
    assert len(found) == len(lines), lines
    return {**found, "": _figures(totals)}


def _workbook(content: bytes) -> Totals:
    """The finances sheet's rows of totals: one per source, and the grand total."""
    sheet = load_workbook(io.BytesIO(content))["Finances"]
    found: Totals = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] in ("Total by source", "Total"):
            source = "" if row[0] == "Total" else str(row[2])
            assert source not in found, row
            found[source] = tuple(Decimal(str(v)).quantize(CENT) for v in row[3:8])
    return found


async def _read(client: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any) -> httpx.Response:
    response = await client.get(path, params=params, headers=headers)
    assert response.status_code == 200, (path, response.text)
    return response


async def _views_agree(client: httpx.AsyncClient, sem: dict[str, str], canton: dict[str, str]) -> dict[int, Totals]:
    """Every view's totals by source of each year, equal to the financial report's; returns those."""
    reported: dict[int, Totals] = {}
    for year in YEARS:
        funding = f"/api/funding/v1/programmes/{BL_KIP3}/financial-report"
        report = (await _read(client, funding, sem, year=year)).json()
        expected = _by_source(report["by_source"], report["totals"])
        sums = [sum((f[i] for s, f in expected.items() if s), Decimal(0)) for i in range(len(FIGURES))]
        assert tuple(sums) == expected[""], (year, expected)

        cockpit = (await _read(client, f"/api/v1/views/canton/programmes/{BL_KIP3}", canton, year=year)).json()
        assert cockpit["degraded"] == [], cockpit["degraded"]
        overview = (await _read(client, "/api/v1/views/sem/programmes", sem, period="KIP3", year=year)).json()
        row = next(p for p in overview["programmes"] if p["programme"]["id"] == str(BL_KIP3))
        annual = f"/api/v1/views/sem/programmes/{BL_KIP3}/annual-report/{year}"
        finances = (await _read(client, annual, sem)).json()["finances"]
        workbook = (await _read(client, annual, sem | {"Accept-Language": "en"}, format="xlsx")).content
        views = {
            "cockpit": _by_source(cockpit["by_source"], cockpit["totals"]),
            "sem overview": _by_source(row["by_source"], row["totals"]),
            "annual report": _by_source(finances["by_source"], finances["totals"]),
            "annual report xlsx": _workbook(workbook),
        }
        for name, found in views.items():
            assert found == expected, (year, name, found, expected)
        reported[year] = expected
    # The whole period (no year): the cockpit's totals are the financial report's too.
    report = (await _read(client, f"/api/funding/v1/programmes/{BL_KIP3}/financial-report", sem)).json()
    cockpit = (await _read(client, f"/api/v1/views/canton/programmes/{BL_KIP3}", canton)).json()
    assert report["year"] is None and cockpit["year"] is None
    expected = _by_source(report["by_source"], report["totals"])
    assert _by_source(cockpit["by_source"], cockpit["totals"]) == expected, ("period", cockpit, expected)
    return reported


async def test_random_money_operations_show_the_same_totals_by_source_in_every_view(
    gateway: FastAPI, client: httpx.AsyncClient, token: TokenFactory
) -> None:
    rng = random.Random(SEED)  # noqa: S311 - a reproducible mix, not a secret
    editor = token("canton-editor", canton="BL", subject="bl-editor-anna")
    editor2 = token("canton-editor", canton="BL", subject="bl-editor-beat")
    payer = token("canton-editor", canton="BL", subject="bl-editor-carla")
    sem, canton = token("sem", subject="sem-finance"), token("canton-viewer", canton="BL")
    partner = token("partner", partner="ald")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway), base_url="http://gateway/api/funding"
    ) as f:
        api = Api(f, editor, sem)
        # SEM's federal allocation is the seed's (CHF 3.5 Mio over the period): IFK lines are signed within it.
        drafts: list[dict[str, Any]] = []
        signed: list[dict[str, Any]] = []
        requested: list[dict[str, Any]] = []
        approved: list[dict[str, Any]] = []
        seen: dict[str, set[int]] = {}
        before = await _views_agree(client, sem, canton)

        def money(low: int, high: int, step: int = 100) -> str:
            return f"{rng.randint(low, high) * step}.00"

        async def operation(kind: str) -> httpx.Response | None:
            if kind == "plan":  # a new budget line, or a revision of the one there is
                body = {
                    "programme_id": str(BL_KIP3),
                    "year": rng.choice(YEARS),
                    "funding_area_id": area(rng.choice(AREAS)),
                }
                body |= {"source": rng.choice((*SOURCES, "communes")), "amount": money(1, 40, 1000), "reason": "plan"}
                response = await f.post("/v1/budget-lines", headers=editor, json=body)
                if response.status_code != 409:
                    return response
                path = f"/v1/budget-lines/{response.json()['budget_line_id']}"
                etag = (await f.get(path, headers=editor)).headers["ETag"]
                revision = {"amount": money(1, 40, 1000), "reason": "revised plan"}
                return await f.post(f"{path}/revisions", headers={**editor, "If-Match": etag}, json=revision)
            if kind == "agreement":
                lines = {(rng.choice(YEARS), a, s): money(2, 20, 1000) for a in AREAS for s in SOURCES}
                picked = [(y, a, s, amount) for (y, a, s), amount in lines.items() if rng.random() < 0.6]
                drafts.append(await api.agreement(picked or [(2024, AREAS[0], "canton", "5000.00")]))
                return None
            if kind == "sign" and drafts:
                response = await api.sign(drafts.pop(rng.randrange(len(drafts))))
                if response.status_code == 200:
                    signed.append(response.json())
                return response
            if kind == "request" and signed:
                agreement = rng.choice(signed)
                line = rng.choice(agreement["current"]["lines"])
                code = next(a for a in AREAS if area(a) == line["funding_area_id"])
                who = rng.choice((partner, editor))
                response = await api.request(
                    who, agreement["id"], money(1, 80), year=line["year"], area_code=code, source=line["source"]
                )
                if response.status_code == 201:
                    requested.append(response.json())
                return response
            if kind == "approve" and requested:
                d = requested.pop(rng.randrange(len(requested)))
                approver = editor2 if d["requested_by"] != "bl-editor-beat" else editor
                response = await f.post(
                    f"/v1/disbursements/{d['id']}/approve", headers={**approver, "If-Match": f'"{d["version"]}"'}
                )
                if response.status_code == 200:
                    approved.append(response.json())
                return response
            if kind == "pay" and approved:
                d = approved.pop(rng.randrange(len(approved)))
                return await f.post(
                    f"/v1/disbursements/{d['id']}/pay", headers={**payer, "If-Match": f'"{d["version"]}"'}
                )
            if kind == "federal":
                year = rng.choice((2024, 2025, 2025))  # the seed has paid all of 2024's IFK, half of 2025's
                body = {"programme_id": str(BL_KIP3), "year": year, "source": IFK}
                body |= {"amount": money(1, 30, 1000), "value_date": "2025-06-30"}
                return await f.post("/v1/federal-payments", headers=sem, json=body)
            if kind == "spend":  # spending recorded, or the record there is corrected
                body = {
                    "programme_id": str(BL_KIP3),
                    "year": rng.choice(YEARS),
                    "funding_area_id": area(rng.choice(AREAS)),
                }
                body |= {"source": rng.choice(SOURCES), "amount": money(1, 50)}
                response = await f.post("/v1/spending", headers=editor, json=body)
                if response.status_code != 409:
                    return response
                path = f"/v1/spending/{response.json()['spending_id']}"
                etag = (await f.get(path, headers=editor)).headers["ETag"]
                return await f.patch(path, headers={**editor, "If-Match": etag}, json={"amount": money(1, 500)})
            return None

        for _ in range(6):
            await operation("agreement")
        kinds = ("plan", "agreement", "sign", "sign", "request", "request", "approve", "pay", "federal", "spend")
        deck: list[str] = []
        for done in range(1, OPERATIONS + 1):
            if not deck:  # each round of len(kinds) operations holds every kind
                deck = list(kinds)
                rng.shuffle(deck)
            kind = deck.pop()
            response = await operation(kind)
            if response is not None:
                assert response.status_code < 500, response.text
                seen.setdefault(kind, set()).add(response.status_code)
            if done % 5 == 0 or done == OPERATIONS:
                after = await _views_agree(client, sem, canton)
    # The sequence moved the figures the views show: each kind of write succeeded at least once.
    for i, figure in enumerate(FIGURES[1:], start=1):
        assert any(before[y][""][i] != after[y][""][i] for y in YEARS), figure
    for kind, status in (("plan", 201), ("sign", 200), ("request", 201), ("approve", 200), ("pay", 200)):
        assert status in seen.get(kind, set()), seen
    assert {200, 201} & seen.get("spend", set()) and 201 in seen.get("federal", set()), seen
