"""HTTP routes of KIP periods."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import set_etag
from kit.problems import problem_responses
from programme.period import service
from programme.period.schemas import PeriodCreate, PeriodRead

router = APIRouter(prefix="/v1/periods", tags=["periods"], responses=problem_responses(401))


@router.get("", response_model=list[PeriodRead], summary="List the KIP periods")
async def list_periods(session: SessionDep, _: PrincipalDep) -> list[PeriodRead]:
    """Every KIP period (KIP 1, 2, 2bis, 3 …) with its years; readable by every role."""
    return [service.to_read(p) for p in await service.list_periods(session)]


@router.get("/{period_id}", response_model=PeriodRead, summary="Read a period", responses=problem_responses(404))
async def get_period(period_id: uuid.UUID, session: SessionDep, _: PrincipalDep, response: Response) -> PeriodRead:
    """One KIP period with its first and last year and SEM's annual report settings."""
    period = await service.get_period(session, period_id)
    set_etag(response, period.version)
    return service.to_read(period)


@router.post(
    "",
    response_model=PeriodRead,
    status_code=status.HTTP_201_CREATED,
    summary="Define a KIP period (SEM)",
    responses=problem_responses(403, 409, 422),
)
async def create_period(
    data: PeriodCreate, session: SessionDep, principal: PrincipalDep, response: Response
) -> PeriodRead:
    """SEM defines a period by its code and years; the code is unique (409 when it exists)."""
    period = await service.create_period(session, principal, data)
    set_etag(response, period.version)
    return service.to_read(period)
