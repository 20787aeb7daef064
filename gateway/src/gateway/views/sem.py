"""The SEM overview: every canton's programme of a period with its totals by source for a year, the matching
status and whether its annual report for that year was submitted.

SEM only. The list of programmes is required; each programme's finances and the list of submitted reports are
optional, and named in `degraded` (`finances:<canton>`, `annual_reports`) when they could not be fetched in time.
The finances of every programme come from one call to the funding service (one aggregate for all cantons), made at
the same time as the other two: when it fails, every programme's finances are named; a programme the funding
service has no figures of for the year is named alone.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from gateway.caller import CallerDep
from gateway.clients.funding import MatchCheck, ProgrammeTotals, SourceTotals
from gateway.compose import CachedViewRoute, Fanout, optional, required
from gateway.views.deps import VIEW_PROBLEMS, ClientsDep, SettingsDep
from gateway.views.report_compose import MARKED, programme_summary
from gateway.views.report_schemas import MarkedFigures, ProgrammeSummary, SourceLine
from kit.auth import Role
from kit.money import Total
from kit.problems import problem_responses

router = APIRouter(prefix="/api/v1/views/sem", tags=["SEM views"], route_class=CachedViewRoute)


class AnnualReportState(BaseModel):
    submitted: bool
    versions: int = 0
    latest_version: int | None = None
    submitted_at: str | None = None
    status: str | None = Field(
        default=None, description="`not_due`, `due`, `overdue`, `submitted`, `received`, `accepted` or `returned`."
    )
    due_date: str | None = None
    overdue: bool | None = None
    illustrative: bool | None = Field(
        default=None, description="The latest version holds figures marked illustrative (seeded or estimated)."
    )


class ProgrammeOverview(BaseModel):
    programme: ProgrammeSummary
    status: str
    by_source: list[SourceLine] | None
    totals: MarkedFigures | None
    matching_status: str | None = Field(description="`met` or `not_met` on the plan in force, from funding.")
    headroom: Total | None
    matching_committed_status: str | None = Field(description="`met` or `not_met` on the year's commitments.")
    matching_actual_status: str | None = Field(description="`met` or `not_met` on the year's actual spending.")
    matching_worst: str | None = Field(
        description="`not_met` when planned, committed or actual is not met: the status to flag."
    )
    annual_report: AnnualReportState | None


class SemOverview(BaseModel):
    period: str
    year: int
    programmes: list[ProgrammeOverview]
    degraded: list[str]


def _source_line(totals: SourceTotals) -> SourceLine:
    """A source's figures as funding's client read and checked them (not checked again)."""
    return SourceLine.model_construct(**{f: getattr(totals, f) for f in MARKED}, source=totals.source)


def _status(check: MatchCheck | None) -> str | None:
    return check.status if check else None


@router.get(
    "/programmes",
    response_model=SemOverview,
    summary="Every canton's programme of a period: totals by source, matching, annual report submitted",
    responses=problem_responses(*VIEW_PROBLEMS),
)
async def get_sem_overview(
    caller: CallerDep,
    clients: ClientsDep,
    settings: SettingsDep,
    period: Annotated[str, Query(min_length=1, max_length=20, examples=["KIP3"])],
    year: Annotated[int, Query(ge=2000, le=2100)],
) -> SemOverview:
    """For SEM: every canton's programme of a period with its totals by funding source, the matching status planned,
    committed and actual (and the worst of them), and the state of its annual report for the year."""
    caller.require(Role.SEM)
    ctx = caller.ctx
    fanout = Fanout("SEM overview", settings.sem_overview_timeout)
    parts = await fanout.run(
        {
            "programmes": required("programme", lambda: clients.programme.programmes(ctx, period=period)),
            "annual_reports": optional("evaluation", lambda: clients.evaluation.submitted_reports(ctx, year)),
            "report_states": optional("evaluation", lambda: clients.evaluation.report_states(ctx, year)),
            "finances": optional("funding", lambda: clients.funding.financial_totals(ctx, year)),
        }
    )
    programmes = sorted(parts["programmes"], key=lambda p: p.canton)
    reports = {r.programme_id: r for r in parts.get("annual_reports", [])}
    states = {r.programme_id: r for r in parts.get("report_states", [])}
    money: dict[uuid.UUID, ProgrammeTotals] = {t.programme_id: t for t in parts.get("finances", [])}
    degraded = {name for name in fanout.degraded if name != "finances"}
    rows = []
    for p in programmes:
        finances = money.get(p.id)
        if finances is None:
            degraded.add(f"finances:{p.canton}")
        state = None
        if "annual_reports" in parts:
            submitted = reports.get(p.id)
            state = AnnualReportState(
                submitted=submitted is not None,
                versions=submitted.versions if submitted else 0,
                latest_version=submitted.latest.number if submitted else None,
                submitted_at=submitted.latest.submitted_at if submitted else None,
            )
            if (lifecycle := states.get(p.id)) is not None:
                state = state.model_copy(update=lifecycle.model_dump(include={"status", "due_date", "overdue"}))
                state.illustrative = lifecycle.illustrative
        matching = finances.matching if finances else None
        rows.append(
            ProgrammeOverview(
                programme=programme_summary(p),
                status=p.status,
                by_source=[_source_line(s) for s in finances.by_source] if finances else None,
                totals=MarkedFigures.model_construct(**{f: getattr(finances.totals, f) for f in MARKED})
                if finances
                else None,
                matching_status=matching.status if matching else None,
                headroom=matching.headroom if matching else None,
                matching_committed_status=_status(finances.matching_committed) if finances else None,
                matching_actual_status=_status(finances.matching_actual) if finances else None,
                matching_worst=finances.matching_worst if finances else None,
                annual_report=state,
            )
        )
    return SemOverview(period=period, year=year, programmes=rows, degraded=sorted(degraded))
