"""Random operations, some racing each other (a seeded sequence): plans, signings with canton and IFK lines,
partner and canton requests, approvals, payments by a third person, SEM's IFK payments. After every batch:
- per agreement line, disbursed (requested, approved, paid) ≤ granted;
- per year, IFK committed ≤ SEM's allocation, and IFK paid by SEM ≤ the allocation;
- canton money committed ≤ the credit;
- the totals by source of the financial report equal those of `financial-totals` (which the SEM overview shows;
  the cockpit shows the financial report: tests/gateway compares the views with both).

`KIP_MONEY_OPERATIONS` sets how many operations run (default 80), `KIP_MONEY_SEED` the seed.
"""

from __future__ import annotations

import asyncio
import os
import random
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import and_, select

from funding.agreement.models import Agreement, AgreementLine, AgreementVersion
from funding.commitments import sum_chf
from funding.disbursement.models import Disbursement, DisbursementLine
from kit.ids import seed_uuid

pytestmark = pytest.mark.asyncio
Api = Any
AREAS = ("information_needs_assessment_counselling", "language")
IFK = "federal_integration_credit"
YEARS = (2024, 2025)
PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))
OPERATIONS = int(os.environ.get("KIP_MONEY_OPERATIONS", "80"))
CREDIT = Decimal("120000.00")
ALLOCATION = Decimal("60000.00")


async def _check(app: FastAPI, client: httpx.AsyncClient, sem: dict[str, str], credit_id: str) -> None:
    async with app.state.session_factory() as session:
        granted = (
            select(Agreement.id, AgreementLine.year, AgreementLine.funding_area_id, AgreementLine.source)
            .add_columns(AgreementLine.amount)
            .join(
                AgreementVersion,
                and_(
                    AgreementVersion.agreement_id == Agreement.id, AgreementVersion.number == Agreement.signed_version
                ),
            )
            .join(AgreementLine, AgreementLine.version_id == AgreementVersion.id)
        )
        lines = {(a, y, f, s): amount for a, y, f, s, amount in await session.execute(granted)}
        part = DisbursementLine
        used = await session.execute(
            select(part.agreement_id, part.year, part.funding_area_id, part.source, sum_chf(part.amount))
            .join(Disbursement, Disbursement.id == part.disbursement_id)
            .where(Disbursement.status.in_(("requested", "approved", "paid")))
            .group_by(part.agreement_id, part.year, part.funding_area_id, part.source)
        )
        for a, y, f, s, amount in used:
            assert amount <= lines.get((a, y, f, s), Decimal(0)), ("line exceeded", a, y, f, s, amount)
    allocation = (await client.get(f"/v1/programmes/{PROGRAMME}/federal-allocation", headers=sem)).json()
    for year in allocation["years"]:
        assert Decimal(year["committed"]) <= Decimal(year["allocated"]), year
        assert Decimal(year["paid_by_sem"]) <= Decimal(year["allocated"]), year
    credit = (await client.get(f"/v1/credits/{credit_id}", headers=sem)).json()
    assert Decimal(credit["used"]) <= Decimal(credit["amount"]), credit
    for year in YEARS:
        report = (
            await client.get(f"/v1/programmes/{PROGRAMME}/financial-report", headers=sem, params={"year": year})
        ).json()
        totals = (await client.get("/v1/programmes/financial-totals", headers=sem, params={"year": year})).json()
        (bl,) = totals["items"]
        assert bl["by_source"] == report["by_source"] and bl["totals"] == report["totals"], year


async def test_random_operations_keep_every_money_rule(
    app: FastAPI,
    api: Api,
    client: httpx.AsyncClient,
    editor: dict[str, str],
    editor2: dict[str, str],
    payer: dict[str, str],
    sem: dict[str, str],
    token: Any,
) -> None:
    rng = random.Random(int(os.environ.get("KIP_MONEY_SEED", "20261129")))  # noqa: S311 - a reproducible mix, not a secret
    credit = await api.credit(str(CREDIT), first=2024, last=2025)
    assert (await api.allocate(str(ALLOCATION))).status_code == 200
    ald = token("partner", partner_id=str(seed_uuid("partner", "ald")))
    drafts: list[dict[str, Any]] = []
    for _ in range(20):
        lines = [
            (rng.choice(YEARS), area, source, f"{rng.randint(2, 20) * 1000}.00")
            for area in AREAS
            for source in ("canton", IFK)
            if rng.random() < 0.6
        ]
        year_lines = {(y, a, s): (y, a, s, amt) for y, a, s, amt in lines}  # one line per year × area × source
        if year_lines:
            drafts.append(await api.agreement(list(year_lines.values())))
    signed: list[dict[str, Any]] = []
    requested: list[dict[str, Any]] = []
    approved: list[dict[str, Any]] = []
    seen: dict[str, set[int]] = {}

    async def operation() -> None:
        kind = rng.choice(("plan", "sign", "sign", "request", "request", "approve", "pay", "federal"))
        response: httpx.Response | None = None
        if kind == "plan":
            body = {
                "programme_id": PROGRAMME,
                "year": rng.choice(YEARS),
                "funding_area_id": str(seed_uuid("funding-area", f"KIP3/{rng.choice(AREAS)}")),
                "source": rng.choice(("canton", IFK, "communes")),
                "amount": f"{rng.randint(1, 40) * 1000}.00",
                "reason": "plan",
            }
            response = await client.post("/v1/budget-lines", headers=editor, json=body)
        elif kind == "sign" and drafts:
            response = await api.sign(drafts.pop(rng.randrange(len(drafts))))
            if response.status_code == 200:
                signed.append(response.json())
        elif kind == "request" and signed:
            agreement = rng.choice(signed)
            line = rng.choice(agreement["current"]["lines"])
            code = next(a for a in AREAS if str(seed_uuid("funding-area", f"KIP3/{a}")) == line["funding_area_id"])
            amount = f"{rng.randint(1, 80) * 100}.00"
            who = rng.choice((ald, editor))
            response = await api.request(
                who, agreement["id"], amount, year=line["year"], area_code=code, source=line["source"]
            )
            if response.status_code == 201:
                requested.append(response.json())
        elif kind == "approve" and requested:
            d = requested.pop(rng.randrange(len(requested)))
            approver = editor2 if d["requested_by"] != "bl-editor-beat" else editor
            response = await client.post(
                f"/v1/disbursements/{d['id']}/approve", headers={**approver, "If-Match": f'"{d["version"]}"'}
            )
            if response.status_code == 200:
                approved.append(response.json())
        elif kind == "pay" and approved:
            d = approved.pop(rng.randrange(len(approved)))
            who = rng.choice((payer, payer, editor2))  # now and then the approver tries: refused
            response = await client.post(
                f"/v1/disbursements/{d['id']}/pay", headers={**who, "If-Match": f'"{d["version"]}"'}
            )
            if who is editor2 and d["decided_by"] == "bl-editor-beat":
                assert response.status_code == 403, response.text
        elif kind == "federal":
            body = {
                "programme_id": PROGRAMME,
                "year": rng.choice(YEARS),
                "source": IFK,
                "amount": f"{rng.randint(1, 30) * 1000}.00",
                "value_date": "2025-06-30",
            }
            response = await client.post("/v1/federal-payments", headers=sem, json=body)
        if response is not None:
            assert response.status_code < 500, response.text
            seen.setdefault(kind, set()).add(response.status_code)

    done = 0
    while done < OPERATIONS:
        batch = min(rng.randint(1, 6), OPERATIONS - done)
        await asyncio.gather(*(operation() for _ in range(batch)))
        done += batch
        await _check(app, client, sem, credit["id"])
    assert 200 in seen.get("sign", set()) and 201 in seen.get("request", set()), seen
    assert 409 in seen.get("sign", set()) | seen.get("federal", set()) | seen.get("request", set()), seen
