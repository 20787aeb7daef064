"""The canton cockpit: a programme's funding areas with their goals, measures and money by source; the matching
status and its headroom, planned, committed and actual with the worst flagged; the funding warnings;
the credit used and left; the evaluations with their status; everything overdue.

For the canton's staff (and SEM). The programme and its funding areas are required; every other part is optional
and named in `degraded` when its service did not answer within the view's budget.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Required, TypedDict, TypeVar, cast

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from gateway.caller import CallerDep
from gateway.clients.evaluation import DueItem, Evaluation
from gateway.clients.funding import AreaTotals, FinancialReport, FundingWarning, MatchCheck
from gateway.clients.programme import FundingArea, Goal, Measure, Outline
from gateway.compose import CachedViewRoute, Fanout, optional, required
from gateway.views.deps import VIEW_PROBLEMS, ClientsDep, SettingsDep
from gateway.views.report_compose import finances, matching, programme_summary
from gateway.views.report_schemas import (
    ZERO,
    EvaluationLine,
    FigureSet,
    Matching,
    MatchingCheck,
    ProgrammeSummary,
    SourceLine,
)
from kit.auth import Role
from kit.problems import problem_responses

router = APIRouter(prefix="/api/v1/views/canton", tags=["canton views"], route_class=CachedViewRoute)
T = TypeVar("T", Goal, Measure)


class AreaCockpit(BaseModel):
    funding_area: FundingArea
    is_priority: bool
    goals: list[Goal] | None
    measures: list[Measure] | None
    money: list[SourceLine] | None = Field(description="Plan in force, committed, disbursed and spent by source.")
    totals: FigureSet | None


class MatchingLevels(BaseModel):
    planned: MatchingCheck | None = Field(description="On the plan in force.")
    committed: MatchingCheck | None = Field(description="On the signed agreements' lines.")
    actual: MatchingCheck | None = Field(description="On the spending recorded.")
    worst: str | None = Field(description="`not_met` when any level is not met: the status to flag.")


class CantonCockpit(BaseModel):
    programme: ProgrammeSummary
    year: int | None = Field(description="The year the money is for; null for the whole period.")
    areas: list[AreaCockpit]
    by_source: list[SourceLine] | None
    totals: FigureSet | None
    matching: Matching | None = Field(description="The matching status with its headroom, and the credit.")
    matching_levels: MatchingLevels | None = Field(
        description="The matching planned, committed and actual, and the worst of them (flag it when `not_met`)."
    )
    warnings: list[FundingWarning] | None = Field(
        description="What the funding rules allow but a person should look at (plan above credit, commitment "
        "above plan, IFK plan above SEM's allocation, committed matching not met)."
    )
    evaluations: list[EvaluationLine] | None
    overdue: list[DueItem] | None
    degraded: list[str]


class CockpitParts(TypedDict, total=False):
    """What the cockpit's fan-out answers: the required part always, an optional one when it came back."""

    outline: Required[Outline]
    finances: FinancialReport
    evaluations: list[Evaluation]
    overdue: list[DueItem]
    warnings: list[FundingWarning]


#: Field names, computed once per process rather than once per row.
FIGURES = set(FigureSet.model_fields)
SOURCE_LINE = (*FigureSet.model_fields, "source")
EVALUATION_LINE = set(EvaluationLine.model_fields)
NO_MONEY = FigureSet(**dict.fromkeys(FIGURES, ZERO))


def _area_totals(totals: AreaTotals | None) -> FigureSet:
    """An area's figures over its sources, as the funding service summed them; zero for an area without any."""
    return FigureSet(**totals.model_dump(include=FIGURES)) if totals is not None else NO_MONEY


def _levels(report: FinancialReport) -> MatchingLevels:
    def check(m: MatchCheck | None) -> MatchingCheck | None:
        return MatchingCheck(**m.model_dump()) if m else None

    return MatchingLevels(
        planned=check(report.matching),
        committed=check(report.matching_committed),
        actual=check(report.matching_actual),
        worst=report.matching_worst,
    )


def _of_area(items: list[T] | None, area_id: uuid.UUID) -> list[T] | None:
    return None if items is None else [i for i in items if i.funding_area_id == area_id]


@router.get(
    "/programmes/{programme_id}",
    response_model=CantonCockpit,
    summary="The canton's cockpit of one programme",
    responses=problem_responses(*VIEW_PROBLEMS),
)
async def get_canton_cockpit(
    programme_id: uuid.UUID,
    caller: CallerDep,
    clients: ClientsDep,
    settings: SettingsDep,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Omit for the whole period.")] = None,
) -> CantonCockpit:
    """One programme at a glance for its canton: funding areas, goals and measures; per area the plan in force,
    committed, disbursed and spent by source; the matching check with the worst level flagged; credits used and
    left; evaluations; everything overdue. An optional part that fails is left out and named in `degraded`."""
    caller.require(Role.CANTON_EDITOR, Role.CANTON_VIEWER, Role.SEM)
    ctx = caller.ctx
    fanout = Fanout("canton cockpit", settings.canton_view_timeout)
    parts = cast(
        CockpitParts,
        await fanout.run(
            {
                "outline": required("programme", lambda: clients.programme.outline(ctx, programme_id)),
                "finances": optional("funding", lambda: clients.funding.financial_report(ctx, programme_id, year)),
                "evaluations": optional(
                    "evaluation", lambda: clients.evaluation.evaluations(ctx, programme_id=programme_id)
                ),
                "overdue": optional("evaluation", lambda: clients.evaluation.due(ctx, programme_id=programme_id)),
                "warnings": optional("funding", lambda: clients.funding.warnings(ctx, programme_id)),
            }
        ),
    )
    outline = parts["outline"]
    report = finances(parts["finances"], outline.funding_areas) if "finances" in parts else None
    area_totals = {t.funding_area_id: t for t in parts["finances"].by_area} if "finances" in parts else {}
    areas = []
    for area in sorted(outline.funding_areas, key=lambda a: (a.funding_area.position, a.funding_area.code)):
        area_id = area.funding_area.id
        money = None
        if report is not None:
            money = [
                SourceLine.model_construct(**{f: getattr(row, f) for f in SOURCE_LINE})
                for row in report.rows
                if row.funding_area_id == area_id
            ]
        areas.append(
            AreaCockpit(
                funding_area=area.funding_area,
                is_priority=area.is_priority,
                goals=_of_area(outline.goals, area_id),
                measures=_of_area(outline.measures, area_id),
                money=money,
                totals=_area_totals(area_totals.get(area_id)) if money is not None else None,
            )
        )
    return CantonCockpit(
        programme=programme_summary(outline.programme),
        year=year,
        areas=areas,
        by_source=report.by_source if report else None,
        totals=report.totals if report else None,
        matching=matching(parts["finances"]) if "finances" in parts else None,
        matching_levels=_levels(parts["finances"]) if "finances" in parts else None,
        warnings=parts.get("warnings"),
        evaluations=[EvaluationLine(**e.model_dump(include=EVALUATION_LINE)) for e in parts["evaluations"]]
        if "evaluations" in parts
        else None,
        overdue=[d for d in parts["overdue"] if d.overdue] if "overdue" in parts else None,
        degraded=sorted(fanout.degraded),
    )
