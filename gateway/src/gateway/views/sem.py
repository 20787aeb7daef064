"""The SEM overview: every canton's programme of a period with its totals by source for a year, the matching
status and whether its annual report for that year was submitted.

SEM only. The list of programmes is required; each programme's finances and the list of submitted reports are
optional, and named in `degraded` (`finances:<canton>`, `annual_reports`) when they could not be fetched in time.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from gateway.caller import Caller, CallerDep
from gateway.clients import Clients
from gateway.clients.funding import FinancialReport
from gateway.compose import Fanout, Part, optional, required
from gateway.views.deps import VIEW_PROBLEMS, ClientsDep, SettingsDep
from gateway.views.report_compose import programme_summary
from gateway.views.report_schemas import FigureSet, ProgrammeSummary, SourceLine
from kit.auth import Role
from kit.money import Total
from kit.problems import problem_responses

router = APIRouter(prefix="/api/v1/views/sem", tags=["SEM views"])


class AnnualReportState(BaseModel):
    submitted: bool
    versions: int = 0
    latest_version: int | None = None
    submitted_at: str | None = None


class ProgrammeOverview(BaseModel):
    programme: ProgrammeSummary
    status: str
    by_source: list[SourceLine] | None
    totals: FigureSet | None
    matching_status: str | None = Field(description="`met` or `not_met` on the plan in force, from funding.")
    headroom: Total | None
    annual_report: AnnualReportState | None


class SemOverview(BaseModel):
    period: str
    year: int
    programmes: list[ProgrammeOverview]
    degraded: list[str]


def _finances_part(clients: Clients, caller: Caller, programme_id: uuid.UUID, year: int) -> Part:
    return optional("funding", lambda: clients.funding.financial_report(caller.ctx, programme_id, year))


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
    caller.require(Role.SEM)
    ctx = caller.ctx
    fanout = Fanout("SEM overview", settings.sem_overview_timeout)
    first = await fanout.run(
        {
            "programmes": required("programme", lambda: clients.programme.programmes(ctx, period=period)),
            "annual_reports": optional("evaluation", lambda: clients.evaluation.submitted_reports(ctx, year)),
        }
    )
    programmes = sorted(first["programmes"], key=lambda p: p.canton)
    money = await fanout.run({f"finances:{p.canton}": _finances_part(clients, caller, p.id, year) for p in programmes})
    reports = {r.programme_id: r for r in first.get("annual_reports", [])}
    rows = []
    for p in programmes:
        report: FinancialReport | None = money.get(f"finances:{p.canton}")
        state = None
        if "annual_reports" in first:
            submitted = reports.get(p.id)
            state = AnnualReportState(
                submitted=submitted is not None,
                versions=submitted.versions if submitted else 0,
                latest_version=submitted.latest.number if submitted else None,
                submitted_at=submitted.latest.submitted_at if submitted else None,
            )
        rows.append(
            ProgrammeOverview(
                programme=programme_summary(p),
                status=p.status,
                by_source=[SourceLine(**s.model_dump()) for s in report.by_source] if report else None,
                totals=FigureSet(**report.totals.model_dump()) if report else None,
                matching_status=report.matching.status if report and report.matching else None,
                headroom=report.matching.headroom if report and report.matching else None,
                annual_report=state,
            )
        )
    return SemOverview(period=period, year=year, programmes=rows, degraded=sorted(fanout.degraded))
