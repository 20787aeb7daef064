"""The financial report, computed by the database: the five figures in one statement (a UNION ALL of the figures'
rows, grouped by figure, funding area and source), so it stays fast however many disbursements there are and costs
one round trip; Python only merges the few aggregate rows."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import String, Subquery, and_, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from funding.budget.models import BudgetLine, BudgetRevision
from funding.commitments import commitment_rows, committed_against, credit_sources, sum_chf
from funding.credit.models import Credit
from funding.disbursement.models import Disbursement
from funding.funding_programme.models import FundingProgramme
from funding.matching.service import actual_rows, check_rows, planned_check
from funding.report.schemas import CreditUse, Figures, FinancialReport, ReportRow, SourceTotals
from funding.sources import Source, matching_sources

ZERO = Decimal("0.00")
FIGURES = ("original_plan", "plan_in_force", "committed", "disbursed", "spent")


def _revision_rows(programme: FundingProgramme, original: bool) -> Subquery:
    number = 1 if original else BudgetLine.current_revision
    return (
        select(BudgetLine.year, BudgetLine.funding_area_id, BudgetLine.source, BudgetRevision.amount)
        .join(BudgetRevision, and_(BudgetRevision.budget_line_id == BudgetLine.id, BudgetRevision.number == number))
        .where(BudgetLine.programme_id == programme.id)
        .subquery()
    )


def _paid_rows(programme: FundingProgramme) -> Subquery:
    return (
        select(Disbursement.year, Disbursement.funding_area_id, Disbursement.source, Disbursement.amount)
        .where(Disbursement.programme_id == programme.id, Disbursement.status == "paid")
        .subquery()
    )


async def _grouped(session: AsyncSession, figures: dict[str, Subquery], years: Sequence[int]) -> list[Any]:
    """(figure, funding area, source, sum) for every figure, in one statement."""
    rows = union_all(
        *(
            select(literal(figure, String).label("figure"), sub.c.funding_area_id, sub.c.source, sub.c.amount).where(
                sub.c.year.in_(list(years))
            )
            for figure, sub in figures.items()
        )
    ).subquery("figures")
    query = select(rows.c.figure, rows.c.funding_area_id, rows.c.source, sum_chf(rows.c.amount)).group_by(
        rows.c.figure, rows.c.funding_area_id, rows.c.source
    )
    return list((await session.execute(query)).all())


async def credit_uses(session: AsyncSession, programme: FundingProgramme) -> list[tuple[Credit, CreditUse]]:
    credits = list(
        (
            await session.scalars(
                select(Credit).where(Credit.programme_id == programme.id).order_by(Credit.decision_date, Credit.id)
            )
        ).all()
    )
    sources = await credit_sources(session, [c.id for c in credits])
    result = []
    for c in credits:
        used = await committed_against(session, c, sources[c.id])
        result.append(
            (c, CreditUse(credit_id=c.id, body=c.body, amount=c.amount, used=used, left=max(c.amount - used, ZERO)))
        )
    return result


async def financial_report(session: AsyncSession, programme: FundingProgramme, year: int | None) -> FinancialReport:
    years = [year] if year is not None else list(range(programme.first_year, programme.last_year + 1))
    sources = {
        "original_plan": _revision_rows(programme, True),
        "plan_in_force": _revision_rows(programme, False),
        "committed": commitment_rows(programme.id),
        "disbursed": _paid_rows(programme),
        "spent": actual_rows(programme.id),
    }
    cells: dict[tuple[Any, str], dict[str, Decimal]] = {}
    for figure, area, source, amount in await _grouped(session, sources, years):
        cells.setdefault((area, source), dict.fromkeys(FIGURES, ZERO))[figure] = amount
    order = {s.value: i for i, s in enumerate(Source)}
    keys = sorted(cells, key=lambda k: (order[k[1]], str(k[0])))
    report_rows = [ReportRow(funding_area_id=k[0], source=Source(k[1]), **cells[k]) for k in keys]
    by_source: dict[str, dict[str, Decimal]] = {}
    for k in keys:
        totals = by_source.setdefault(k[1], dict.fromkeys(FIGURES, ZERO))
        for f in FIGURES:
            totals[f] += cells[k][f]
    grand = {f: sum((t[f] for t in by_source.values()), ZERO) for f in FIGURES}
    uses = await credit_uses(session, programme)
    covering = [u for c, u in uses if c.first_year <= min(years) and max(years) <= c.last_year]
    matched = matching_sources(programme.third_parties_count_toward_match)
    return FinancialReport(
        programme_id=programme.id,
        canton=programme.canton,
        year=year,
        first_year=programme.first_year,
        last_year=programme.last_year,
        rows=report_rows,
        by_source=[SourceTotals(source=Source(s), **t) for s, t in by_source.items()],
        totals=Figures(**grand),
        matching=await planned_check(session, programme, years),
        matching_actual=await check_rows(session, actual_rows(programme.id), years, matched),
        credit=covering[0] if covering else None,
        credits=[u for _, u in uses],
    )
