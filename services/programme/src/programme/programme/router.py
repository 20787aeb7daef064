"""HTTP routes of programmes and their funding areas."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.pagination import PageDep
from kit.problems import problem_responses
from programme.programme import service
from programme.programme.schemas import (
    Canton,
    ProgrammeAreaRead,
    ProgrammeAreaUpdate,
    ProgrammeCreate,
    ProgrammePage,
    ProgrammeRead,
    ProgrammeStatus,
    ProgrammeUpdate,
)

router = APIRouter(prefix="/v1/programmes", tags=["programmes"], responses=problem_responses(401, 422))
CHANGE_RESPONSES = problem_responses(403, 404, 409, 412, 428)


@router.get(
    "", response_model=ProgrammePage, summary="List the programmes the caller may see", responses=problem_responses(403)
)
async def list_programmes(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    canton: Annotated[Canton | None, Query(description="Canton code.")] = None,
    period: Annotated[str | None, Query(max_length=20, description="Period code, e.g. `KIP3`.")] = None,
    status: Annotated[ProgrammeStatus | None, Query()] = None,
) -> ProgrammePage:
    """Programmes (canton × period), paged, filtered by period or canton. A canton user sees its canton's, SEM every
    canton's; partners read the measures they deliver under `/v1/measures` instead (403 here)."""
    items, total = await service.list_programmes(
        session, principal, page, str(canton) if canton else None, period, status
    )
    return ProgrammePage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "",
    response_model=ProgrammeRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a canton's programme for a period",
    responses=problem_responses(403, 409),
)
async def create_programme(
    data: ProgrammeCreate, session: SessionDep, principal: PrincipalDep, response: Response
) -> ProgrammeRead:
    """A canton editor creates its canton's programme for a period (one per canton and period: 409 for a second)."""
    programme = await service.create_programme(session, principal, data)
    set_etag(response, programme.version)
    response.headers["Location"] = f"/v1/programmes/{programme.id}"
    return await service.read_programme(session, programme)


@router.get(
    "/{programme_id}", response_model=ProgrammeRead, summary="Read a programme", responses=problem_responses(404)
)
async def get_programme(
    programme_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, response: Response
) -> ProgrammeRead:
    """One programme with its status and SEM agreement reference; its ETag is the version to send in `If-Match`."""
    programme = await service.get_visible_programme(session, principal, programme_id)
    set_etag(response, programme.version)
    return await service.read_programme(session, programme)


@router.patch(
    "/{programme_id}",
    response_model=ProgrammeRead,
    summary="Change a programme (title, status, SEM agreement)",
    responses=CHANGE_RESPONSES,
)
async def update_programme(
    programme_id: uuid.UUID,
    data: ProgrammeUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> ProgrammeRead:
    """Changes the title, status or SEM agreement reference, with the ETag read in `If-Match` (428 without it, 412 when
    it changed meanwhile)."""
    programme = await service.update_programme(session, principal, programme_id, data, if_match)
    set_etag(response, programme.version)
    return await service.read_programme(session, programme)


@router.get(
    "/{programme_id}/funding-areas",
    response_model=list[ProgrammeAreaRead],
    summary="The period's funding areas with the canton's priority marks",
    responses=problem_responses(404),
)
async def list_programme_areas(
    programme_id: uuid.UUID, session: SessionDep, principal: PrincipalDep
) -> list[ProgrammeAreaRead]:
    """Every funding area of the programme's period, each with whether the canton marked it a priority."""
    return await service.list_programme_areas(session, principal, programme_id)


@router.put(
    "/{programme_id}/funding-areas/{area_id}",
    response_model=ProgrammeAreaRead,
    summary="Mark or unmark a funding area as a priority of the programme",
    responses=CHANGE_RESPONSES,
)
async def mark_priority(
    programme_id: uuid.UUID,
    area_id: uuid.UUID,
    data: ProgrammeAreaUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> ProgrammeAreaRead:
    """A canton editor marks (or unmarks) one of the period's funding areas as a priority of its programme;
    idempotent."""
    result = await service.mark_priority(session, principal, programme_id, area_id, data, if_match)
    set_etag(response, result.version)
    return result
