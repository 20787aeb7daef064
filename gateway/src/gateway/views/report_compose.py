"""Composing the annual report from the three services.

The programme and its funding areas are required; the goals, evaluations, key figures and finances are optional
for reading (left out and named in `degraded`) but all required for a submission: a snapshot is never frozen
with a part missing.
"""

from __future__ import annotations

import datetime as dt
import uuid

from gateway.caller import Caller
from gateway.clients import Clients
from gateway.clients.evaluation import AnnualReportSections, IndicatorAchievement
from gateway.clients.funding import FinancialReport, MatchCheck
from gateway.clients.programme import Outline, Programme, ProgrammeArea
from gateway.compose import Fanout, optional, required
from gateway.views.report_schemas import (
    AnnualReport,
    CreditState,
    FinanceLine,
    Finances,
    GoalProgress,
    IndicatorProgress,
    KeyFigureLine,
    MarkedFigures,
    Matching,
    MatchingCheck,
    ProgrammeSummary,
    SourceLine,
    ToDate,
)
from gateway.views.report_sections import coordination, financial_supervision


def programme_summary(programme: Programme) -> ProgrammeSummary:
    return ProgrammeSummary(
        id=programme.id,
        canton=programme.canton,
        title=programme.title,
        period=programme.period.code,
        first_year=programme.period.first_year,
        last_year=programme.period.last_year,
        working_language=programme.working_language,
    )


#: Field names, computed once per process rather than once per row.
MARKED = tuple(MarkedFigures.model_fields)
KEY_FIGURE = tuple(f for f in KeyFigureLine.model_fields if f != "year")

# The lines below are built with `model_construct` from values the clients have already read and checked against
# the same types (the services' answers are checked once, when they are parsed), not checked a second time.


def indicator_progress(i: IndicatorAchievement, year: int) -> IndicatorProgress:
    """The report year's figures apart from those to date, each saying the years it covers."""
    return IndicatorProgress.model_construct(
        indicator_id=i.indicator_id,
        code=i.code,
        title=i.title,
        unit=i.unit,
        aggregation=i.aggregation,
        year=i.year or year,
        target=i.year_target,
        value=i.year_value,
        value_status=i.year_status,
        missing=i.year_value is None,
        to_date=ToDate.model_construct(years=i.years, target=i.target, value=i.actual),
        ratio=i.ratio,
        illustrative=i.illustrative,
    )


def finances(report: FinancialReport, areas: list[ProgrammeArea], year: int | None = None) -> Finances:
    by_id = {a.funding_area.id: a.funding_area for a in areas}
    order = {area_id: (area.position, area.code) for area_id, area in by_id.items()}
    rows = sorted(report.rows, key=lambda r: (order.get(r.funding_area_id, (999, "")), r.source))
    return Finances(
        year=report.year or year,
        rows=[
            FinanceLine.model_construct(
                **{f: getattr(row, f) for f in MARKED},
                funding_area_id=row.funding_area_id,
                funding_area_code=by_id[row.funding_area_id].code if row.funding_area_id in by_id else None,
                funding_area_name=by_id[row.funding_area_id].name.de if row.funding_area_id in by_id else None,
                source=row.source,
            )
            for row in rows
        ],
        by_source=[
            SourceLine.model_construct(**{f: getattr(s, f) for f in MARKED}, source=s.source) for s in report.by_source
        ],
        totals=MarkedFigures.model_construct(**{f: getattr(report.totals, f) for f in MARKED}),
    )


def matching(report: FinancialReport) -> Matching:
    def check(m: MatchCheck | None) -> MatchingCheck | None:
        return MatchingCheck(**m.model_dump()) if m else None

    credit = CreditState(**report.credit.model_dump()) if report.credit else None
    return Matching(planned=check(report.matching), actual=check(report.matching_actual), credit=credit)


async def compose_report(
    clients: Clients, caller: Caller, programme_id: uuid.UUID, year: int, budget: float, *, for_submission: bool
) -> AnnualReport:
    ctx = caller.ctx
    fanout = Fanout("annual report", budget, all_required=for_submission)
    parts = await fanout.run(
        {
            "outline": required("programme", lambda: clients.programme.outline(ctx, programme_id)),
            "sections": optional(
                "evaluation", lambda: clients.evaluation.annual_report_sections(ctx, programme_id, year)
            ),
            "finances": optional("funding", lambda: clients.funding.financial_report(ctx, programme_id, year)),
        }
    )
    outline: Outline = parts["outline"]
    areas = outline.funding_areas
    sections: AnnualReportSections | None = parts.get("sections")
    goals = None
    if sections is not None:
        names = {g.id: g for g in outline.goals}
        goals = [
            GoalProgress(
                goal_id=g.goal_id,
                code=g.code or (names[g.goal_id].code if g.goal_id in names else None),
                title=g.title or (names[g.goal_id].title if g.goal_id in names else None),
                achievement=g.achievement,
                indicators=[indicator_progress(i, year) for i in g.indicators],
            )
            for g in sections.goal_achievement.goals
        ]
    evaluations = sections.evaluations.evaluations if sections is not None else None
    key_figures = None
    if sections is not None:
        key_figures = [
            KeyFigureLine.model_construct(**{f: getattr(k, f) for f in KEY_FIGURE}, year=year)
            for k in sections.key_figures.items
        ]
    report = parts.get("finances")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    composed = AnnualReport(
        programme=programme_summary(outline.programme),
        year=year,
        as_of=now,
        composed_at=now,
        goals=goals,
        evaluations=evaluations,
        key_figures=key_figures,
        finances=finances(report, areas, year) if report else None,
        matching=matching(report) if report else None,
        coordination=coordination(sections.coordination, areas, year) if sections is not None else None,
        financial_supervision=financial_supervision(sections.financial_supervision, year)
        if sections is not None
        else None,
        degraded=sorted(_degraded_sections(fanout.degraded)),
    )
    composed.missing = missing_sections(composed)
    return composed


#: What the evaluation service's one answer holds, named in `degraded` one by one when it fails (as before it was
#: fetched in five parts).
EVALUATION_SECTIONS = ("coordination", "evaluations", "goals", "key_figures", "supervision")


def _degraded_sections(degraded: list[str]) -> list[str]:
    return [n for name in degraded for n in (EVALUATION_SECTIONS if name == "sections" else (name,))]


def missing_sections(report: AnnualReport) -> list[str]:
    """The sections read but empty for the year, so a reader sees `missing` rather than an empty list."""
    empty = {
        "goals": report.goals == [],
        "evaluations": report.evaluations == [],
        "key_figures": report.key_figures == [],
        "coordination": report.coordination is not None and report.coordination.missing,
        "financial_supervision": report.financial_supervision is not None and report.financial_supervision.missing,
    }
    return [name for name, is_empty in empty.items() if is_empty]
