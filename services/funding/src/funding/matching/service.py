"""The matching check, computed by the database: per year and over the period, on the plan in force, on what is
committed in signed agreements and on actual spending.
Sums are SQL aggregates (GROUP BY year, source); the lines behind them are listed too."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import BindParameter, Subquery, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from funding.budget.models import BudgetLine, BudgetRevision
from funding.commitments import commitment_rows
from funding.common import Programmes, of_programmes
from funding.funding_programme.models import FundingProgramme
from funding.matching.schemas import (
    MatchCheck,
    MatchingRead,
    MatchLine,
    MatchRole,
    MatchStatus,
    MatchSummary,
    PeriodMatch,
    YearMatch,
)
from funding.sources import MATCHED_FEDERAL, Source, matching_sources
from funding.spending.models import ActualSpending

ZERO = Decimal("0.00")


def plan_in_force_rows(programme_id: uuid.UUID | BindParameter[uuid.UUID]) -> Subquery:
    """Columns: year, funding_area_id, source, amount (the latest revision of each budget line)."""
    return (
        select(BudgetLine.year, BudgetLine.funding_area_id, BudgetLine.source, BudgetRevision.amount)
        .join(
            BudgetRevision,
            and_(BudgetRevision.budget_line_id == BudgetLine.id, BudgetRevision.number == BudgetLine.current_revision),
        )
        .where(BudgetLine.programme_id == programme_id)
        .subquery("in_force")
    )


def actual_rows(programmes: Programmes) -> Subquery:
    """Columns: programme_id, year, funding_area_id, source, amount, illustrative (the spending recorded)."""
    return (
        select(
            ActualSpending.programme_id,
            ActualSpending.year,
            ActualSpending.funding_area_id,
            ActualSpending.source,
            ActualSpending.amount,
            ActualSpending.illustrative,
        )
        .where(of_programmes(ActualSpending.programme_id, programmes))
        .subquery("actual")
    )


async def check_rows(session: AsyncSession, rows: Subquery, years: Sequence[int], matched: list[Source]) -> MatchCheck:
    """The rule on the rows of the years, with the lines behind it: one statement, the sums added up from the
    lines it returns (exact in Decimal)."""
    relevant = [str(MATCHED_FEDERAL), *(str(s) for s in matched)]
    scope = and_(rows.c.year.in_(list(years)), rows.c.source.in_(relevant))
    lines = (
        await session.execute(
            select(rows.c.year, rows.c.funding_area_id, rows.c.source, rows.c.amount)
            .where(scope)
            .order_by(rows.c.year, rows.c.source, rows.c.funding_area_id)
        )
    ).all()
    sums: dict[str, Decimal] = {}
    for _, _, source, amount in lines:
        sums[source] = sums.get(source, ZERO) + amount
    return MatchCheck(
        **dict(match_summary(sums, matched)),
        lines=[
            MatchLine(
                year=year,
                funding_area_id=area,
                source=Source(source),
                amount=amount,
                role=MatchRole.FEDERAL_CREDIT if source == MATCHED_FEDERAL else MatchRole.MATCHED_CONTRIBUTION,
            )
            for year, area, source, amount in lines
        ],
    )


def match_summary(sums: dict[str, Decimal], matched: list[Source]) -> MatchSummary:
    """The rule on amounts already summed by source: IFK ≤ the matched sources' contributions."""
    federal = sums.get(str(MATCHED_FEDERAL), ZERO)
    contributions = sum((sums.get(str(s), ZERO) for s in matched), ZERO)
    return MatchSummary(
        status=MatchStatus.MET if federal <= contributions else MatchStatus.NOT_MET,
        federal_credit=federal,
        matched_contributions=contributions,
        headroom=contributions - federal,
    )


async def planned_check(session: AsyncSession, programme: FundingProgramme, years: Sequence[int]) -> MatchCheck:
    matched = matching_sources(programme.third_parties_count_toward_match)
    return await check_rows(session, plan_in_force_rows(programme.id), years, matched)


def worst(*statuses: MatchStatus) -> MatchStatus:
    return MatchStatus.NOT_MET if MatchStatus.NOT_MET in statuses else MatchStatus.MET


async def committed_check(session: AsyncSession, programme: FundingProgramme, years: Sequence[int]) -> MatchCheck:
    matched = matching_sources(programme.third_parties_count_toward_match)
    return await check_rows(session, commitment_rows(programme.id), years, matched)


async def _levels(session: AsyncSession, programme: FundingProgramme, years: list[int]) -> dict[str, Any]:
    matched = matching_sources(programme.third_parties_count_toward_match)
    levels = {
        "planned": await check_rows(session, plan_in_force_rows(programme.id), years, matched),
        "committed": await check_rows(session, commitment_rows(programme.id), years, matched),
        "actual": await check_rows(session, actual_rows(programme.id), years, matched),
    }
    return {**levels, "worst": worst(*(c.status for c in levels.values()))}


async def matching(session: AsyncSession, programme: FundingProgramme, year: int | None) -> MatchingRead:
    matched = matching_sources(programme.third_parties_count_toward_match)
    period_years = list(range(programme.first_year, programme.last_year + 1))
    years = [year] if year is not None else period_years
    yearly = [YearMatch(year=y, **await _levels(session, programme, [y])) for y in years]
    period = PeriodMatch(
        first_year=programme.first_year,
        last_year=programme.last_year,
        **await _levels(session, programme, period_years),
    )
    return MatchingRead(
        programme_id=programme.id,
        worst=worst(period.worst, *(y.worst for y in yearly)),
        third_parties_count_toward_match=programme.third_parties_count_toward_match,
        matched_sources=matched,
        years=yearly,
        period=period,
    )
