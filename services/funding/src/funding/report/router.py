"""HTTP route of the financial report."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from funding.funding_programme import service as programmes_service
from funding.report import service
from funding.report.schemas import FinancialReport
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.problems import problem_responses

router = APIRouter(prefix="/v1/programmes", tags=["reports"], responses=problem_responses(401, 404, 422))


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
) -> FinancialReport:
    programme = await programmes_service.get_readable(session, principal, programme_id)
    if year is not None:
        programmes_service.check_year(programme, year, ["query", "year"])
    return await service.financial_report(session, programme, year)
