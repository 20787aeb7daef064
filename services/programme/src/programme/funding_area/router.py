"""HTTP routes of funding areas."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.problems import problem_responses
from programme.funding_area import service
from programme.funding_area.schemas import FundingAreaCreate, FundingAreaRead, FundingAreaUpdate

router = APIRouter(prefix="/v1/funding-areas", tags=["funding areas"], responses=problem_responses(401, 422))


@router.get("", response_model=list[FundingAreaRead], summary="List funding areas, optionally of one period")
async def list_funding_areas(
    session: SessionDep,
    _: PrincipalDep,
    period: Annotated[str | None, Query(max_length=20, description="Period code, e.g. `KIP3`.")] = None,
) -> list[FundingAreaRead]:
    """The funding areas (Förderbereiche) defined by SEM, with their names in German, French and Italian and their
    predecessors in earlier periods; `period` narrows to one period. Readable by every role."""
    return [service.to_read(a) for a in await service.list_funding_areas(session, period)]


@router.get(
    "/{area_id}", response_model=FundingAreaRead, summary="Read a funding area", responses=problem_responses(404)
)
async def get_funding_area(
    area_id: uuid.UUID, session: SessionDep, _: PrincipalDep, response: Response
) -> FundingAreaRead:
    """One funding area with its names per language and its predecessor areas; 404 for an unknown id."""
    area = await service.get_funding_area(session, area_id)
    set_etag(response, area.version)
    return service.to_read(area)


@router.post(
    "",
    response_model=FundingAreaRead,
    status_code=status.HTTP_201_CREATED,
    summary="Define a funding area of a period (SEM)",
    responses=problem_responses(403, 409),
)
async def create_funding_area(
    data: FundingAreaCreate, session: SessionDep, principal: PrincipalDep, response: Response
) -> FundingAreaRead:
    """SEM defines a funding area of a period, with its code unique in the period. Canton and partner tokens get 403."""
    area = await service.create_funding_area(session, principal, data)
    set_etag(response, area.version)
    return service.to_read(area)


@router.patch(
    "/{area_id}",
    response_model=FundingAreaRead,
    summary="Correct a funding area's names or aliases (SEM)",
    description="Only the names (German, French, Italian, their `source` and `illustrative` flag) and the aliases "
    "change; the id, code, period, pillar and predecessors stay, so no mapping breaks. Needs `If-Match`.",
    responses=problem_responses(403, 404, 412, 428),
)
async def correct_funding_area(
    area_id: uuid.UUID,
    data: FundingAreaUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> FundingAreaRead:
    area = await service.correct_funding_area(session, principal, area_id, data, if_match)
    set_etag(response, area.version)
    return service.to_read(area)
