"""HTTP routes of measures."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.pagination import PageDep
from kit.problems import problem_responses
from programme.measure import service
from programme.measure.schemas import MeasureCreate, MeasurePage, MeasureRead, MeasureStatus, MeasureUpdate

router = APIRouter(prefix="/v1/measures", tags=["measures"], responses=problem_responses(401, 422))


@router.get("", response_model=MeasurePage, summary="List measures the caller may see")
async def list_measures(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    programme_id: Annotated[uuid.UUID | None, Query()] = None,
    funding_area_id: Annotated[uuid.UUID | None, Query()] = None,
    partner_id: Annotated[uuid.UUID | None, Query()] = None,
    status: Annotated[MeasureStatus | None, Query()] = None,
) -> MeasurePage:
    """Measures (Massnahmen) paged and filtered by programme, funding area, status or partner. Canton users see their
    canton's, SEM every canton's, a partner only the measures it delivers."""
    items, total = await service.list_measures(
        session, principal, page, programme_id, funding_area_id, partner_id, status
    )
    return MeasurePage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "",
    response_model=MeasureRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a measure to a programme",
    responses=problem_responses(403, 404, 409),
)
async def create_measure(
    data: MeasureCreate, session: SessionDep, principal: PrincipalDep, response: Response
) -> MeasureRead:
    """A canton editor adds a measure to a programme of its canton, in one of the programme's funding areas, with the
    goals it serves and the partners that deliver it (checked to exist)."""
    measure = await service.create_measure(session, principal, data)
    set_etag(response, measure.version)
    response.headers["Location"] = f"/v1/measures/{measure.id}"
    return await service.read_measure(session, measure)


@router.get("/{measure_id}", response_model=MeasureRead, summary="Read a measure", responses=problem_responses(404))
async def get_measure(
    measure_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, response: Response
) -> MeasureRead:
    """One measure with its goals and partners; a measure the caller may not see is a 404, like a missing one."""
    measure = await service.read_visible_measure(session, principal, measure_id)
    set_etag(response, measure.version)
    return measure


@router.patch(
    "/{measure_id}",
    response_model=MeasureRead,
    summary="Change a measure",
    responses=problem_responses(403, 404, 409, 412, 428),
)
async def update_measure(
    measure_id: uuid.UUID,
    data: MeasureUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> MeasureRead:
    """Changes the fields sent, with the ETag read in `If-Match` (428 without it, 412 on a concurrent change)."""
    measure = await service.update_measure(session, principal, measure_id, data, if_match)
    set_etag(response, measure.version)
    return await service.read_measure(session, measure)
