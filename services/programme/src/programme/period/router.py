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
    return [PeriodRead.model_validate(p) for p in await service.list_periods(session)]


@router.get("/{period_id}", response_model=PeriodRead, summary="Read a period", responses=problem_responses(404))
async def get_period(period_id: uuid.UUID, session: SessionDep, _: PrincipalDep, response: Response) -> PeriodRead:
    period = await service.get_period(session, period_id)
    set_etag(response, period.version)
    return PeriodRead.model_validate(period)


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
    period = await service.create_period(session, principal, data)
    set_etag(response, period.version)
    return PeriodRead.model_validate(period)
