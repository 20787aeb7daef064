"""The financial report, computed by the database: the five figures in one statement (a UNION ALL of the figures'
rows, grouped by figure, funding area and source), so it stays fast however many disbursements there are and costs
one round trip; Python only merges the few aggregate rows. Each aggregate row also says whether any record behind
it (budget line, agreement, disbursement, spending) is illustrative: a MAX over the flag in the same statement.
The totals of every programme of a year (the SEM overview) are the same figures of many programmes in one
statement, grouped by programme, figure and source."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    String,
    Subquery,
    and_,
    bindparam,
    case,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from funding.budget.models import BudgetLine, BudgetRevision
from funding.commitments import commitment_rows, sum_chf
from funding.common import Programmes, of_programmes
from funding.credit.models import Credit, CreditSource
from funding.disbursement.models import Disbursement, DisbursementLine
from funding.funding_programme.models import FundingProgramme
from funding.funding_programme.service import visible_programme_ids
from funding.matching.schemas import MatchCheck, MatchSummary
from funding.matching.service import actual_rows, check_rows, match_summary, planned_check, worst
from funding.report.schemas import (
    AreaTotals,
    CreditUse,
    Figures,
    FinancialReport,
    ProgrammeTotals,
    ProgrammeTotalsList,
    ReportRow,
    SourceTotals,
)
from funding.sources import Source, matching_sources
from kit.auth import Principal

ZERO = Decimal("0.00")
FIGURES = ("original_plan", "plan_in_force", "committed", "disbursed", "spent")


def _revision_rows(programmes: Programmes, original: bool) -> Subquery:
    number = 1 if original else BudgetLine.current_revision
    return (
        select(
            BudgetLine.programme_id,
            BudgetLine.year,
            BudgetLine.funding_area_id,
            BudgetLine.source,
            BudgetRevision.amount,
            BudgetLine.illustrative,
        )
        .join(BudgetRevision, and_(BudgetRevision.budget_line_id == BudgetLine.id, BudgetRevision.number == number))
        .where(of_programmes(BudgetLine.programme_id, programmes))
        .subquery()
    )


def _paid_rows(programmes: Programmes) -> Subquery:
    """The paid disbursements' parts per agreement line."""
    return (
        select(
            DisbursementLine.programme_id,
            DisbursementLine.year,
            DisbursementLine.funding_area_id,
            DisbursementLine.source,
            DisbursementLine.amount,
            Disbursement.illustrative,
        )
        .join(Disbursement, Disbursement.id == DisbursementLine.disbursement_id)
        .where(of_programmes(DisbursementLine.programme_id, programmes), Disbursement.status == "paid")
        .subquery()
    )


def figure_rows(programmes: Programmes) -> dict[str, Subquery]:
    """Each figure's rows (programme_id, year, funding_area_id, source, amount, illustrative): the one definition
    of the five figures that the report of a programme and the totals of many share."""
    return {
        "original_plan": _revision_rows(programmes, True),
        "plan_in_force": _revision_rows(programmes, False),
        "committed": commitment_rows(programmes),
        "disbursed": _paid_rows(programmes),
        "spent": actual_rows(programmes),
    }


def any_illustrative(column: ColumnElement[bool]) -> ColumnElement[int]:
    """1 when any row's flag is set, else 0: MAX over the flag as an integer, the same on SQLite and PostgreSQL
    (PostgreSQL has no MAX of booleans)."""
    return func.max(case((column, 1), else_=0))


def _figure_union(figures: dict[str, Subquery], years: Sequence[int] | BindParameter[Any]) -> Subquery:
    """Every figure's rows (figure, programme, funding area, source, amount, illustrative) of the years (a list, or
    an expanding parameter that will hold them)."""
    if not isinstance(years, BindParameter):
        years = list(years)
    return union_all(
        *(
            select(
                literal(figure, String).label("figure"),
                sub.c.programme_id,
                sub.c.funding_area_id,
                sub.c.source,
                sub.c.amount,
                sub.c.illustrative,
            ).where(sub.c.year.in_(years))
            for figure, sub in figures.items()
        )
    ).subquery("figures")


@functools.cache
def _report_statements() -> tuple[Select[Any], Select[Credit, Decimal]]:
    """One programme's report statements, built once per process with parameters (`programme_id`, `years`): a
    statement object made anew per request costs more to build and to key for SQLAlchemy's compiled cache than
    PostgreSQL takes to run it.

    - the five figures of the years, grouped by figure, funding area and source (sum, any illustrative);
    - each credit of the programme (by decision date) with the commitments it carries: those of the programme
      whose year lies in the credit's years and whose source is one of the credit's sources (`committed_against`
      for every credit at once)."""
    programme: BindParameter[uuid.UUID] = bindparam("programme_id")
    rows = _figure_union(figure_rows(programme), bindparam("years", expanding=True))
    figures = select(
        rows.c.figure,
        rows.c.funding_area_id,
        rows.c.source,
        sum_chf(rows.c.amount),
        any_illustrative(rows.c.illustrative),
    ).group_by(rows.c.figure, rows.c.funding_area_id, rows.c.source)
    commitments = commitment_rows(programme)
    credits = (
        select(Credit, sum_chf(commitments.c.amount))
        .outerjoin(CreditSource, CreditSource.credit_id == Credit.id)
        .outerjoin(
            commitments,
            and_(
                commitments.c.source == CreditSource.source,
                commitments.c.year.between(Credit.first_year, Credit.last_year),
            ),
        )
        .where(Credit.programme_id == programme)
        .group_by(Credit.id)
        .order_by(Credit.decision_date, Credit.id)
    )
    return figures, credits


async def _grouped(session: AsyncSession, programme_id: uuid.UUID, years: Sequence[int]) -> list[Any]:
    """(figure, funding area, source, sum, any illustrative) for every figure, in one statement."""
    statement = _report_statements()[0]
    return list((await session.execute(statement, {"programme_id": programme_id, "years": list(years)})).all())


async def credit_uses(session: AsyncSession, programme: FundingProgramme) -> list[tuple[Credit, CreditUse]]:
    """Every credit of the programme with what it carries, in one statement."""
    statement = _report_statements()[1]
    return [
        (c, CreditUse(credit_id=c.id, body=c.body, amount=c.amount, used=used, left=max(c.amount - used, ZERO)))
        for c, used in await session.execute(statement, {"programme_id": programme.id})
    ]


def _without_lines(summary: MatchSummary) -> MatchCheck:
    return MatchCheck(**dict(summary), lines=[])


async def financial_report(
    session: AsyncSession, programme: FundingProgramme, year: int | None, *, match_lines: bool = True
) -> FinancialReport:
    """The report of a year or of the period. The matching checks sum the same rows as the figures plan in force,
    committed and spent; with `match_lines=False` they are added up from those figures by source, without a
    statement of their own, and list no lines (`lines` empty)."""
    years = [year] if year is not None else list(range(programme.first_year, programme.last_year + 1))
    cells: dict[tuple[Any, str], dict[str, Decimal]] = {}
    marked: set[tuple[Any, str]] = set()
    for figure, area, source, amount, illustrative in await _grouped(session, programme.id, years):
        cells.setdefault((area, source), dict.fromkeys(FIGURES, ZERO))[figure] = amount
        if illustrative:
            marked.add((area, source))
    order = {s.value: i for i, s in enumerate(Source)}
    keys = sorted(cells, key=lambda k: (order[k[1]], str(k[0])))
    report_rows = [
        ReportRow(funding_area_id=k[0], source=Source(k[1]), illustrative=k in marked, **cells[k]) for k in keys
    ]
    by_source: dict[str, dict[str, Decimal]] = {}
    by_area: dict[Any, dict[str, Decimal]] = {}
    for k in keys:
        for totals in (
            by_source.setdefault(k[1], dict.fromkeys(FIGURES, ZERO)),
            by_area.setdefault(k[0], dict.fromkeys(FIGURES, ZERO)),
        ):
            for f in FIGURES:
                totals[f] += cells[k][f]
    marked_areas = {area for area, _ in marked}
    grand = {f: sum((t[f] for t in by_source.values()), ZERO) for f in FIGURES}
    marked_sources = {source for _, source in marked}
    uses = await credit_uses(session, programme)
    covering = [u for c, u in uses if c.first_year <= min(years) and max(years) <= c.last_year]
    matched = matching_sources(programme.third_parties_count_toward_match)
    if match_lines:
        planned = await planned_check(session, programme, years)
        committed = await check_rows(session, commitment_rows(programme.id), years, matched)
        actual = await check_rows(session, actual_rows(programme.id), years, matched)
    else:
        planned, committed, actual = (
            _without_lines(match_summary({s: t[figure] for s, t in by_source.items()}, matched))
            for figure in ("plan_in_force", "committed", "spent")
        )
    return FinancialReport(
        programme_id=programme.id,
        canton=programme.canton,
        year=year,
        first_year=programme.first_year,
        last_year=programme.last_year,
        rows=report_rows,
        by_area=[
            AreaTotals(funding_area_id=a, illustrative=a in marked_areas, **t)
            for a, t in sorted(by_area.items(), key=lambda item: str(item[0]))
        ],
        by_source=[SourceTotals(source=Source(s), illustrative=s in marked_sources, **t) for s, t in by_source.items()],
        totals=Figures(illustrative=bool(marked), **grand),
        matching=planned,
        matching_committed=committed,
        matching_actual=actual,
        matching_worst=worst(planned.status, committed.status, actual.status),
        credit=covering[0] if covering else None,
        credits=[u for _, u in uses],
    )


def _programmes_of_year(principal: Principal, year: int, canton: str | None) -> Select[uuid.UUID]:
    """The programmes the caller may read (`visible_programme_ids`) whose years include `year`; a canton filter
    narrows that (another canton's filter leaves nothing)."""
    query = visible_programme_ids(principal).where(
        FundingProgramme.first_year <= year, FundingProgramme.last_year >= year
    )
    if canton is not None:
        query = query.where(FundingProgramme.canton == canton)
    return query


async def programme_totals(
    session: AsyncSession, principal: Principal, year: int, canton: str | None
) -> ProgrammeTotalsList:
    """Every readable programme's figures of one year by source, and its matching on the plan in force, in one
    statement: the five figures' rows of all the programmes (each branch limited to them and to the year, on the
    same indexes as one programme's report) summed by programme, figure and source, joined to the programmes so
    one without any money is listed with zeros. Python only adds up the few aggregate rows."""
    scope = _programmes_of_year(principal, year, canton)
    figures = _figure_union(figure_rows(scope), [year])
    sums = (
        select(
            figures.c.programme_id,
            figures.c.figure,
            figures.c.source,
            sum_chf(figures.c.amount).label("amount"),
            any_illustrative(figures.c.illustrative).label("illustrative"),
        )
        .group_by(figures.c.programme_id, figures.c.figure, figures.c.source)
        .subquery("sums")
    )
    query = (
        select(FundingProgramme, sums.c.figure, sums.c.source, sums.c.amount, sums.c.illustrative)
        .outerjoin(sums, sums.c.programme_id == FundingProgramme.id)
        .where(FundingProgramme.id.in_(scope))
        .order_by(FundingProgramme.canton, FundingProgramme.id)
    )
    programmes: dict[uuid.UUID, FundingProgramme] = {}
    cells: dict[uuid.UUID, dict[str, dict[str, Decimal]]] = {}
    marked: dict[uuid.UUID, set[str]] = {}
    for programme, figure, source, amount, illustrative in await session.execute(query):
        programmes[programme.id] = programme
        by_source = cells.setdefault(programme.id, {})
        flagged = marked.setdefault(programme.id, set())
        if figure is not None:
            by_source.setdefault(source, dict.fromkeys(FIGURES, ZERO))[figure] = amount
            if illustrative:
                flagged.add(source)
    order = {s.value: i for i, s in enumerate(Source)}
    items = []
    for programme_id, programme in programmes.items():
        by_source = dict(sorted(cells[programme_id].items(), key=lambda item: order[item[0]]))
        matched = matching_sources(programme.third_parties_count_toward_match)
        levels = [
            match_summary({s: t[figure] for s, t in by_source.items()}, matched)
            for figure in ("plan_in_force", "committed", "spent")
        ]
        items.append(
            ProgrammeTotals(
                programme_id=programme_id,
                canton=programme.canton,
                first_year=programme.first_year,
                last_year=programme.last_year,
                by_source=[
                    SourceTotals(source=Source(s), illustrative=s in marked[programme_id], **f)
                    for s, f in by_source.items()
                ],
                totals=Figures(
                    illustrative=bool(marked[programme_id]),
                    **{f: sum((t[f] for t in by_source.values()), ZERO) for f in FIGURES},
                ),
                matching=levels[0],
                matching_committed=levels[1],
                matching_actual=levels[2],
                matching_worst=worst(*(level.status for level in levels)),
            )
        )
    return ProgrammeTotalsList(year=year, items=items)
