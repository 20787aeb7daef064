"""Loads the seed data idempotently: a record that exists (by its deterministic id) is left as it is."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from funding import seed_data as data
from funding.agreement.models import Agreement, AgreementLine, AgreementVersion
from funding.allocation.models import FederalAllocation, FederalAllocationYear
from funding.budget.models import BudgetLine, BudgetRevision
from funding.credit.models import Credit, CreditSource
from funding.database import Base
from funding.disbursement.models import Disbursement, DisbursementLine
from funding.funding_programme.models import FundingProgramme
from funding.spending.models import ActualSpending, FederalPayment
from kit.ids import seed_uuid

M = TypeVar("M", bound=Base)
PROGRAMME = seed_uuid("programme", "BL-KIP3")
SEED_AUTHOR = "seed:bl-integration"


def area(code: str) -> Any:
    return seed_uuid("funding-area", f"KIP3/{code}")


async def _add(session: AsyncSession, model: type[M], **values: Any) -> tuple[M, bool]:
    existing = await session.get(model, values["id"])
    if existing is not None:
        return existing, False
    record = model(**values)
    session.add(record)
    await session.flush()
    return record, True


async def _budget(session: AsyncSession) -> int:
    added = 0
    for year in data.YEARS:
        for code, by_source in data.YEARLY_PLAN.items():
            for source, amount in by_source.items():
                key = f"BL-KIP3/{year}/{code}/{source}"
                revisions = [r for r in data.REVISIONS if r[:3] == (year, code, source)]
                line, new = await _add(
                    session,
                    BudgetLine,
                    id=seed_uuid("budget-line", key),
                    programme_id=PROGRAMME,
                    year=year,
                    funding_area_id=area(code),
                    source=source,
                    current_revision=1 + len(revisions),
                    illustrative=True,
                    source_note=data.PLAN_NOTE,
                )
                if not new:
                    continue
                added += 1
                session.add(
                    BudgetRevision(
                        budget_line_id=line.id,
                        number=1,
                        amount=amount,
                        reason="KIP 3 plan as approved.",
                        author=SEED_AUTHOR,
                    )
                )
                for number, (*_, new_amount, reason) in enumerate(revisions, start=2):
                    session.add(
                        BudgetRevision(
                            budget_line_id=line.id, number=number, amount=new_amount, reason=reason, author=SEED_AUTHOR
                        )
                    )
    await session.flush()
    return added


async def _agreements(session: AsyncSession) -> int:
    added = 0
    for a in data.AGREEMENTS:
        agreement, new = await _add(
            session,
            Agreement,
            id=seed_uuid("agreement", f"BL-KIP3/{a['partner']}"),
            programme_id=PROGRAMME,
            canton="BL",
            partner_id=seed_uuid("partner", a["partner"]),
            reference=a["reference"],
            status="signed",
            current_version=1,
            signed_version=1,
            illustrative=True,
            source_note=data.AGREEMENT_NOTE,
        )
        if not new:
            continue
        added += 1
        version = AgreementVersion(
            agreement_id=agreement.id,
            number=1,
            title=a["title"],
            start_date=a["start"],
            end_date=a["end"],
            cost_cap=None,
            measure_ids=[str(seed_uuid("measure", f"BL-KIP3/{m}")) for m in a["measures"]],
            text=None,
            reason=None,
            created_by=SEED_AUTHOR,
            signed_by=data.SIGNER,
            signed_at=data.SIGNED_AT,
        )
        session.add(version)
        await session.flush()
        session.add_all(
            AgreementLine(version_id=version.id, year=year, funding_area_id=area(code), source=source, amount=amount)
            for year in data.YEARS
            for (code, source), amount in a["yearly"].items()
        )
    await session.flush()
    return added


async def _disbursements(session: AsyncSession) -> int:
    added = 0
    for key, partner, year, code, source, amount, value_date, status in data.DISBURSEMENTS:
        decided = status in ("approved", "paid")
        disbursement, new = await _add(
            session,
            Disbursement,
            id=seed_uuid("disbursement", f"BL-KIP3/{key}"),
            agreement_id=seed_uuid("agreement", f"BL-KIP3/{partner}"),
            programme_id=PROGRAMME,
            canton="BL",
            partner_id=seed_uuid("partner", partner),
            year=year,
            funding_area_id=area(code),
            source=source,
            amount=amount,
            value_date=value_date,
            status=status,
            requested_by=f"seed:{partner}",
            decided_by=data.FINANCE if decided else None,
            paid_by=data.FINANCE if status == "paid" else None,
            idempotency_key=f"seed-{key}",
            request_hash="seed",
            illustrative=True,
            source_note="Illustrative disbursement; BL's payments to partners are not public.",
        )
        if new:
            session.add(
                DisbursementLine(
                    disbursement_id=disbursement.id,
                    funding_area_id=area(code),
                    source=source,
                    agreement_id=disbursement.agreement_id,
                    programme_id=PROGRAMME,
                    year=year,
                    amount=amount,
                )
            )
            await session.flush()
        added += new
    return added


async def _allocation(session: AsyncSession) -> int:
    if await session.get(FederalAllocation, PROGRAMME) is not None:
        return 0
    a = data.ALLOCATION
    session.add(
        FederalAllocation(
            programme_id=PROGRAMME, canton="BL", recorded_by="seed:sem", **{k: v for k, v in a.items() if k != "years"}
        )
    )
    await session.flush()
    session.add_all(FederalAllocationYear(programme_id=PROGRAMME, year=y, amount=v) for y, v in a["years"].items())
    await session.flush()
    return 1 + len(a["years"])


async def seed(session: AsyncSession) -> int:
    """Insert what is missing; returns how many records were added."""
    _, new = await _add(
        session,
        FundingProgramme,
        id=PROGRAMME,
        canton="BL",
        first_year=2024,
        last_year=2027,
        third_parties_count_toward_match=False,
    )
    added = int(new)
    added += await _budget(session)
    c = data.CREDIT
    credit, new = await _add(
        session,
        Credit,
        id=seed_uuid("credit", c["key"]),
        programme_id=PROGRAMME,
        canton="BL",
        **{k: v for k, v in c.items() if k not in ("key", "sources")},
    )
    if new:
        added += 1
        session.add_all(CreditSource(credit_id=credit.id, source=s) for s in c["sources"])
        await session.flush()
    added += await _allocation(session)
    added += await _agreements(session)
    added += await _disbursements(session)
    for code, by_source in data.SPENDING_2024.items():
        for source, amount in by_source.items():
            _, new = await _add(
                session,
                ActualSpending,
                id=seed_uuid("spending", f"BL-KIP3/2024/{code}/{source}"),
                programme_id=PROGRAMME,
                year=2024,
                funding_area_id=area(code),
                source=source,
                amount=amount,
                recorded_by=SEED_AUTHOR,
                illustrative=True,
                source_note=data.SPENDING_NOTE,
            )
            added += new
    for key, year, source, amount, value_date in data.PAYMENTS:
        _, new = await _add(
            session,
            FederalPayment,
            id=seed_uuid("federal-payment", f"BL-KIP3/{key}"),
            programme_id=PROGRAMME,
            canton="BL",
            year=year,
            source=source,
            amount=amount,
            value_date=value_date,
            reference=None,
            recorded_by="seed:sem",
            illustrative=True,
            source_note=data.PAYMENT_NOTE,
        )
        added += new
    await session.flush()
    return added
