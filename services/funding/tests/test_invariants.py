"""A bank-style invariant check: many random signings, requests and approvals racing each other never take the
canton past its credit, nor an agreement past its amount for a year.

`KIP_INVARIANT_OPERATIONS` sets how many operations run (CI: 600; on demand, thousands).
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from funding.agreement.models import Agreement, AgreementLine, AgreementVersion
from funding.disbursement.models import Disbursement

pytestmark = pytest.mark.asyncio
Api = Any
INFO = "information_needs_assessment_counselling"
OPERATIONS = int(os.environ.get("KIP_INVARIANT_OPERATIONS", "600"))
CREDIT = Decimal("150000.00")


async def test_random_racing_operations_keep_every_ceiling(
    app: FastAPI, api: Api, client: httpx.AsyncClient, editor: dict[str, str], editor2: dict[str, str], token: Any
) -> None:
    rng = random.Random(int(os.environ.get("KIP_INVARIANT_SEED", "20261128")))  # noqa: S311 - a reproducible mix of operations, not a secret
    credit = await api.credit(str(CREDIT), first=2024, last=2025)
    drafts = []
    year_of: dict[str, int] = {}
    for _ in range(24):
        year = rng.choice((2024, 2025))
        draft = await api.agreement([(year, INFO, "canton", f"{rng.randint(5, 25) * 1000}.00")])
        year_of[draft["id"]] = year
        drafts.append(draft)
    partner = token("partner", partner_id=drafts[0]["partner_id"])
    signed: list[dict[str, Any]] = []
    requested: list[dict[str, Any]] = []
    outcomes: defaultdict[str, list[int]] = defaultdict(list)

    async def operation() -> None:
        kind = rng.choice(("sign", "request", "request", "approve", "approve"))
        if kind == "sign" and drafts:
            draft = drafts.pop(rng.randrange(len(drafts)))
            response = await api.sign(draft)
            if response.status_code == 200:
                signed.append(response.json())
        elif kind == "request" and signed:
            agreement = rng.choice(signed)
            year = year_of[agreement["id"]]
            amount = f"{rng.randint(1, 60) * 100}.00"
            who = rng.choice((partner, editor))
            response = await api.request(who, agreement["id"], amount, year=year)
            if response.status_code == 201:
                requested.append(response.json())
        elif kind == "approve" and requested:
            disbursement = requested.pop(rng.randrange(len(requested)))
            approver = editor2 if disbursement.get("requested_by") != "bl-editor-beat" else editor
            response = await client.post(
                f"/v1/disbursements/{disbursement['id']}/approve",
                headers={**approver, "If-Match": f'"{disbursement["version"]}"'},
            )
        else:
            return
        outcomes[kind].append(response.status_code)
        assert response.status_code < 500, response.text

    done = 0
    while done < OPERATIONS:
        batch = min(16, OPERATIONS - done)
        await asyncio.gather(*(operation() for _ in range(batch)))
        done += batch

    assert 200 in outcomes["sign"] and 201 in outcomes["request"] and 200 in outcomes["approve"], dict(outcomes)
    assert 409 in outcomes["sign"], "the credit was reached: later signings were refused"
    assert 409 in outcomes["request"], "agreements' yearly amounts were reached: later requests were refused"
    after = (await client.get(f"/v1/credits/{credit['id']}", headers=editor)).json()
    assert Decimal(after["used"]) <= CREDIT and Decimal(after["left"]) >= 0, after

    async with app.state.session_factory() as session:
        granted_rows = await session.execute(
            select(Agreement.id, AgreementLine.year, func.sum(AgreementLine.amount))
            .join(AgreementVersion, AgreementVersion.agreement_id == Agreement.id)
            .join(AgreementLine, AgreementLine.version_id == AgreementVersion.id)
            .where(AgreementVersion.number == Agreement.signed_version, Agreement.status == "signed")
            .group_by(Agreement.id, AgreementLine.year)
        )
        granted = {(a, y): Decimal(str(s)) / 100 if not isinstance(s, Decimal) else s for a, y, s in granted_rows}
        committed = sum(granted.values(), Decimal(0))
        assert committed <= CREDIT, f"signed agreements commit CHF {committed} against a credit of {CREDIT}"
        used_rows = await session.execute(
            select(Disbursement.agreement_id, Disbursement.year, func.count())
            .where(Disbursement.status.in_(("requested", "approved", "paid")))
            .group_by(Disbursement.agreement_id, Disbursement.year)
        )
        for agreement_id, year, _count in used_rows:
            amounts = await session.scalars(
                select(Disbursement.amount).where(
                    Disbursement.agreement_id == agreement_id,
                    Disbursement.year == year,
                    Disbursement.status.in_(("requested", "approved", "paid")),
                )
            )
            total = sum(amounts, Decimal(0))
            assert total <= granted.get((agreement_id, year), Decimal(0)), (agreement_id, year, total)
