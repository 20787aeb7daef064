"""HTTP routes of SEM's federal allocation of a programme."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from funding.allocation import service
from funding.allocation.schemas import FederalAllocationRead, FederalAllocationWrite
from funding.upstream import ProgrammeDep
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.problems import problem_responses

router = APIRouter(prefix="/v1/programmes", tags=["federal allocation"], responses=problem_responses(401, 422))


@router.get(
    "/{programme_id}/federal-allocation",
    response_model=FederalAllocationRead,
    summary="The IFK SEM allocated to the programme, per year and for the period, with what is committed",
    responses=problem_responses(404),
)
async def get_allocation(
    programme_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, response: Response
) -> FederalAllocationRead:
    """The integration credit (IFK) SEM granted the programme in its programme agreement, per year and for the whole
    period, beside what agreements already commit against it."""
    allocation = await service.get_visible_allocation(session, principal, programme_id)
    set_etag(response, allocation.version)
    return await service.to_read(session, allocation)


@router.put(
    "/{programme_id}/federal-allocation",
    response_model=FederalAllocationRead,
    summary="Record the programme agreement's federal allocation (SEM only; If-Match once it exists)",
    description="Refused with 403 `funding/sem-decides` for anyone but SEM, and with 409 "
    "`funding/federal-allocation-exceeded` when a year would fall below the IFK already committed or paid.",
    responses=problem_responses(403, 404, 409, 412, 428, 503),
)
async def put_allocation(
    programme_id: uuid.UUID,
    data: FederalAllocationWrite,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammeDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> FederalAllocationRead:
    allocation = await service.put_allocation(session, principal, programmes, programme_id, data, if_match)
    set_etag(response, allocation.version)
    return await service.to_read(session, allocation)
