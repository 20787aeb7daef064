"""HTTP routes of an annual report's lifecycle: due dates per period (SEM sets them), SEM's decisions, states."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query

from evaluation.annual_report import lifecycle
from evaluation.annual_report.lifecycle_schemas import (
    TIME_RULE,
    DeadlineRead,
    DeadlineSet,
    DecisionCreate,
    ReportState,
    ReportStateList,
)
from evaluation.clock import TodayDep
from evaluation.reference import programme_for_read
from evaluation.upstream import ProgrammesDep
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.problems import problem_responses

router = APIRouter(tags=["annual reports"], responses=problem_responses(401, 403, 404, 422))
YearPath = Annotated[int, Path(ge=2000, le=2100, description="The reporting year.")]
PeriodPath = Annotated[str, Path(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_.-]+$", examples=["KIP3"])]
BASE = "/v1/programmes/{programme_id}/annual-reports/{year}"


@router.get(
    "/v1/annual-report-deadlines/{period_code}",
    response_model=DeadlineRead,
    summary="When the reports of a period are due",
    description="Unless SEM has set it, 30 April of the year after the report year, marked `assumption: true`.",
)
async def get_deadline(period_code: PeriodPath, session: SessionDep, principal: PrincipalDep) -> DeadlineRead:
    return await lifecycle.deadline(session, period_code)


@router.put("/v1/annual-report-deadlines/{period_code}", response_model=DeadlineRead, summary="SEM sets the due date")
async def set_deadline(
    period_code: PeriodPath, data: DeadlineSet, session: SessionDep, principal: PrincipalDep
) -> DeadlineRead:
    """SEM sets the due date of a period's annual reports. Until it does, 30 April of the following year is assumed
    and marked as an assumption."""
    return await lifecycle.set_deadline(session, principal, period_code, data)


@router.get(
    "/v1/annual-reports/states",
    response_model=ReportStateList,
    summary="Where every programme's report of a year stands (SEM all cantons, a canton its own)",
    description=TIME_RULE,
)
async def list_states(
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
) -> ReportStateList:
    return ReportStateList(today=today, year=year, items=await lifecycle.states(session, principal, year, today))


@router.get(BASE + "/state", response_model=ReportState, summary="Where a report stands, with SEM's decisions")
async def get_state(
    programme_id: uuid.UUID,
    year: YearPath,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    today: TodayDep,
) -> ReportState:
    """The report's due date, whether it is overdue, its status and the submitted versions with every decision SEM
    recorded."""
    info = await programme_for_read(session, programmes, principal, programme_id)
    return await lifecycle.state(session, info, year, today)


@router.post(
    BASE + "/decisions",
    response_model=ReportState,
    status_code=201,
    summary="SEM records `received`, then `accepted` or `returned` (with a comment) on the latest version",
    responses=problem_responses(409),
)
async def decide(
    programme_id: uuid.UUID,
    year: YearPath,
    data: DecisionCreate,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    today: TodayDep,
) -> ReportState:
    """SEM records a decision on the latest submitted version: `received`, then `accepted`, or `returned` with a
    comment; a returned report can be submitted again as the next version."""
    return await lifecycle.decide(session, principal, programmes, programme_id, year, data, today)
