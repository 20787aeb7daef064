"""HTTP routes of indicator values: partner reporting and canton confirmation."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from evaluation.indicator.schemas import ValueStatus
from evaluation.indicator_value import plausibility, service
from evaluation.indicator_value.schemas import ValueCreate, ValueRead, ValueUpdate
from evaluation.upstream import ProgrammesDep
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.problems import problem_responses

router = APIRouter(tags=["indicator values"], responses=problem_responses(401, 422))
CHANGE = problem_responses(403, 404, 409, 412, 428, 503)


@router.get(
    "/v1/indicators/{indicator_id}/values",
    response_model=list[ValueRead],
    summary="The values of an indicator",
    responses=problem_responses(404, 503),
)
async def list_values(
    indicator_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    programme_id: Annotated[uuid.UUID | None, Query()] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status: Annotated[ValueStatus | None, Query()] = None,
) -> list[ValueRead]:
    """The indicator's values per year and breakdown, each `reported` or `confirmed`."""
    rows = await service.list_values(session, principal, programmes, indicator_id, programme_id, year, status)
    return [service.to_read(v) for v in rows]


@router.post(
    "/v1/indicators/{indicator_id}/values",
    response_model=ValueRead,
    status_code=status.HTTP_201_CREATED,
    summary="Report a value for a year (status `reported`), optionally one part of a breakdown",
    description=(plausibility.__doc__ or "").strip(),
    responses=CHANGE,
)
async def enter_value(
    indicator_id: uuid.UUID,
    data: ValueCreate,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    response: Response,
) -> ValueRead:
    value = await service.enter_value(session, principal, programmes, indicator_id, data)
    set_etag(response, value.version)
    response.headers["Location"] = f"/v1/indicator-values/{value.id}"
    return service.to_read(value)


@router.get(
    "/v1/indicator-values/{value_id}",
    response_model=ValueRead,
    summary="Read an indicator value",
    responses=problem_responses(404, 503),
)
async def get_value(
    value_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep, response: Response
) -> ValueRead:
    """One indicator value with its status (`reported` or `confirmed`), who reported and who confirmed it."""
    value = await service.get_value(session, principal, programmes, value_id)
    set_etag(response, value.version)
    return service.to_read(value)


@router.patch(
    "/v1/indicator-values/{value_id}",
    response_model=ValueRead,
    summary="Correct a value; it returns to `reported` until confirmed again",
    responses=CHANGE,
)
async def update_value(
    value_id: uuid.UUID,
    data: ValueUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> ValueRead:
    """Corrects a value; a confirmed value goes back to `reported` and counts in reports again only once confirmed."""
    value = await service.update_value(session, principal, programmes, value_id, data, if_match)
    set_etag(response, value.version)
    return service.to_read(value)


@router.post(
    "/v1/indicator-values/{value_id}/confirm",
    response_model=ValueRead,
    summary="Confirm a reported value (canton editor); only confirmed values count in reports",
    responses=CHANGE,
)
async def confirm_value(
    value_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> ValueRead:
    """A canton editor confirms a reported value; only confirmed values count in goal achievement and the annual
    report."""
    value = await service.confirm_value(session, principal, programmes, value_id, if_match)
    set_etag(response, value.version)
    return service.to_read(value)
