"""HTTP route of the matching check."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from funding.funding_programme import service as programmes_service
from funding.matching import service
from funding.matching.schemas import MatchingRead
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.problems import problem_responses

router = APIRouter(prefix="/v1/programmes", tags=["reports"], responses=problem_responses(401, 404, 422))


@router.get(
    "/{programme_id}/matching",
    response_model=MatchingRead,
    summary="The matching rule per year and over the period, planned and actual",
    description="Federal integration credit (IFK) ≤ canton + communes (+ third parties where the programme's "
    "funding settings count them); the federal lump sum and status-S money are never matched. `year` limits the "
    "yearly checks to one year; the period check always covers the whole period.",
)
async def get_matching(
    programme_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> MatchingRead:
    programme = await programmes_service.get_visible_programme(session, principal, programme_id)
    if year is not None:
        programmes_service.check_year(programme, year, ["query", "year"])
    return await service.matching(session, programme, year)
