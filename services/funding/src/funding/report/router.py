"""HTTP routes of the financial report of a programme and of every programme's totals of a year."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from funding.funding_programme import service as programmes_service
from funding.report import service
from funding.report.schemas import FinancialReport, ProgrammeTotalsList
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.problems import problem_responses

router = APIRouter(prefix="/v1/programmes", tags=["reports"], responses=problem_responses(401, 404, 422))
#: Lists, so no 404: a programme the caller may not read is simply not in them.
totals_router = APIRouter(prefix="/v1/programmes", tags=["reports"], responses=problem_responses(401, 422))


@totals_router.get(
    "/financial-totals",
    response_model=ProgrammeTotalsList,
    summary="Every programme's figures of a year by source, with its matching on the plan in force",
    description="For each programme the caller may read whose years include `year` (SEM: every canton; canton "
    "staff: their own; partners are refused with 403), ordered by canton: the original plan, plan in force, "
    "commitments, disbursements paid and spending of the year by source and in total, and the matching rule on "
    "the plan in force — the same figures as the programme's `financial-report?year=`. `canton` narrows the list "
    "(another canton than the caller's own answers an empty list). One SQL aggregate over all programmes.",
    responses=problem_responses(403),
)
async def list_financial_totals(
    session: SessionDep,
    principal: PrincipalDep,
    year: Annotated[int, Query(ge=2000, le=2100, description="The year.", examples=[2025])],
    canton: Annotated[
        str | None, Query(pattern="^[A-Z]{2}$", description="Only this canton's programmes.", examples=["BL"])
    ] = None,
) -> ProgrammeTotalsList:
    return await service.programme_totals(session, principal, year, canton)


@router.get(
    "/{programme_id}/financial-report",
    response_model=FinancialReport,
    summary="Plan, commitments, disbursements and spending per funding area and source; matching; credit",
    description="Without `year`, the whole period. Every figure is an SQL aggregate.",
)
async def get_report(
    programme_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="One year; omit for the whole period.")] = None,
    match_lines: Annotated[
        bool,
        Query(
            description="`false`: the three matching checks with their sums only (`lines` empty), added up from the "
            "report's own figures by source, for callers that read only the checks. The lines are also listed by "
            "`GET /v1/programmes/{id}/matching`."
        ),
    ] = True,
) -> FinancialReport:
    programme = await programmes_service.get_visible_programme(session, principal, programme_id)
    if year is not None:
        programmes_service.check_year(programme, year, ["query", "year"])
    return await service.financial_report(session, programme, year, match_lines=match_lines)
