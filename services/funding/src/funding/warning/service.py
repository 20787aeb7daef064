"""Warnings: what the rules allow but a person should look at, computed from the figures as they stand (nothing is
stored, so a warning disappears as soon as its cause does). Writes answer the warnings of the years they touch."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import BindParameter, Select, String, bindparam, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from funding.allocation.models import FederalAllocation
from funding.allocation.service import allocated_years
from funding.commitments import commitment_rows, credit_sources, sum_chf
from funding.credit.models import Credit
from funding.funding_programme.models import FundingProgramme
from funding.matching.schemas import MatchStatus
from funding.matching.service import match_summary, plan_in_force_rows
from funding.settlement.decisions import open_refunds
from funding.sources import MATCHED_FEDERAL, Source, matching_sources
from funding.warning.schemas import FundingWarning, WarningType

ZERO = Decimal("0.00")
Key = tuple[int, uuid.UUID, str]


@functools.cache
def _plan_and_commitments() -> Select[Any]:
    """The plan in force and the commitments of one programme (`programme_id`), each summed by year, funding area
    and source, in one statement built once per process."""
    programme: BindParameter[uuid.UUID] = bindparam("programme_id")
    plan = plan_in_force_rows(programme)
    committed = commitment_rows(programme)
    rows = union_all(
        select(
            literal("plan", String).label("kind"), plan.c.year, plan.c.funding_area_id, plan.c.source, plan.c.amount
        ),
        select(
            literal("committed", String).label("kind"),
            committed.c.year,
            committed.c.funding_area_id,
            committed.c.source,
            committed.c.amount,
        ),
    ).subquery("figures")
    return select(rows.c.kind, rows.c.year, rows.c.funding_area_id, rows.c.source, sum_chf(rows.c.amount)).group_by(
        rows.c.kind, rows.c.year, rows.c.funding_area_id, rows.c.source
    )


async def _by_key(session: AsyncSession, programme_id: uuid.UUID) -> tuple[dict[Key, Decimal], dict[Key, Decimal]]:
    """(plan in force, committed), each by (year, funding area, source)."""
    sums: dict[str, dict[Key, Decimal]] = {"plan": {}, "committed": {}}
    for kind, year, area, source, amount in await session.execute(
        _plan_and_commitments(), {"programme_id": programme_id}
    ):
        sums[kind][(year, area, source)] = amount
    return sums["plan"], sums["committed"]


def _warning(kind: WarningType, detail: str, amount: Decimal, limit: Decimal, **where: object) -> FundingWarning:
    return FundingWarning.model_validate(
        {"type": kind, "detail": detail, "amount": amount, "limit": limit, "over": amount - limit, "year": None} | where
    )


def _matching(programme: FundingProgramme, committed: dict[Key, Decimal], years: Iterable[int]) -> list[FundingWarning]:
    """A year whose committed IFK is above its committed matching money, from the commitments already summed."""
    result = []
    matched = matching_sources(programme.third_parties_count_toward_match)
    by_year: dict[int, dict[str, Decimal]] = {year: {} for year in sorted(set(years))}
    for (year, _, source), amount in committed.items():
        if year in by_year:
            by_year[year][source] = by_year[year].get(source, ZERO) + amount
    for year, sums in by_year.items():
        check = match_summary(sums, matched)
        if check.status == MatchStatus.NOT_MET:
            result.append(
                _warning(
                    WarningType.COMMITTED_MATCHING_NOT_MET,
                    f"CHF {check.federal_credit} of IFK is committed for {year}, but only CHF "
                    f"{check.matched_contributions} of matching money; the IFK is paid only as far as it is matched.",
                    check.federal_credit,
                    check.matched_contributions,
                    year=year,
                )
            )
    return result


async def _credits(
    session: AsyncSession, programme: FundingProgramme, plan: dict[Key, Decimal]
) -> list[FundingWarning]:
    credits = list((await session.scalars(select(Credit).where(Credit.programme_id == programme.id))).all())
    sources = await credit_sources(session, [c.id for c in credits])
    result = []
    for credit in credits:
        covered = set(sources[credit.id])
        planned = sum(
            (v for (y, _, s), v in plan.items() if credit.first_year <= y <= credit.last_year and s in covered), ZERO
        )
        if planned > credit.amount:
            result.append(
                _warning(
                    WarningType.PLAN_ABOVE_CREDIT,
                    f"The plan in force puts CHF {planned} on credit {credit.id} ({credit.body}), which authorises "
                    f"CHF {credit.amount}.",
                    planned,
                    credit.amount,
                    credit_id=credit.id,
                )
            )
    return result


def _commitments(plan: dict[Key, Decimal], committed: dict[Key, Decimal]) -> list[FundingWarning]:
    result = []
    for (year, area, source), amount in sorted(committed.items(), key=lambda kv: (kv[0][0], str(kv[0][1]), kv[0][2])):
        limit = plan.get((year, area, source), ZERO)
        if amount > limit:
            result.append(
                _warning(
                    WarningType.COMMITMENT_ABOVE_PLAN,
                    f"CHF {amount} is committed for {year}, funding area {area} and {source}; the plan in force "
                    f"has CHF {limit} there.",
                    amount,
                    limit,
                    year=year,
                    funding_area_id=area,
                    source=Source(source),
                )
            )
    return result


async def _allocation(
    session: AsyncSession, programme: FundingProgramme, plan: dict[Key, Decimal]
) -> list[FundingWarning]:
    ifk: dict[int, Decimal] = {}
    for (year, _, source), amount in plan.items():
        if source == MATCHED_FEDERAL:
            ifk[year] = ifk.get(year, ZERO) + amount
    recorded = await session.get(FederalAllocation, programme.id) is not None
    allocated = await allocated_years(session, programme.id)
    result = []
    for year in sorted(ifk):
        limit = allocated.get(year, ZERO)
        if ifk[year] > limit:
            why = f"SEM allocated CHF {limit}" if recorded else "SEM has not recorded an allocation yet"
            result.append(
                _warning(
                    WarningType.IFK_PLAN_ABOVE_ALLOCATION,
                    f"The plan in force has CHF {ifk[year]} of IFK for {year}; {why}.",
                    ifk[year],
                    limit,
                    year=year,
                    source=MATCHED_FEDERAL,
                )
            )
    return result


async def _refunds(session: AsyncSession, programme: FundingProgramme) -> list[FundingWarning]:
    return [
        _warning(
            WarningType.SETTLEMENT_REFUND_OPEN,
            f"SEM's settlement decision {d.number} claims a refund of CHF {d.refund_amount}, due "
            f"{d.due_date.isoformat() if d.due_date else 'now'}; SEM has not recorded its repayment.",
            d.refund_amount,
            ZERO,
            year=d.due_date.year if d.due_date else None,
            due_date=d.due_date,
        )
        for d in await open_refunds(session, programme)
    ]


async def warnings(
    session: AsyncSession, programme: FundingProgramme, years: Iterable[int] | None = None
) -> list[FundingWarning]:
    """Every warning of the programme, or those of the given years (a credit's concern every year it covers)."""
    plan, committed = await _by_key(session, programme.id)
    all_years = range(programme.first_year, programme.last_year + 1)
    result = [
        *await _credits(session, programme, plan),
        *_commitments(plan, committed),
        *await _allocation(session, programme, plan),
        *_matching(programme, committed, all_years),
        *await _refunds(session, programme),
    ]
    if years is None:
        return result
    wanted = set(years)
    return [w for w in result if w.year is None or w.year in wanted]


async def of_years(session: AsyncSession, programme_id: uuid.UUID, years: Iterable[int]) -> list[FundingWarning]:
    """The warnings a write touching `years` of the programme answers."""
    programme = await session.get(FundingProgramme, programme_id)
    assert programme is not None
    return await warnings(session, programme, years)
