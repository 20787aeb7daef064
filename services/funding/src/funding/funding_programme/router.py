"""HTTP routes of a programme's funding settings."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from funding.funding_programme import service
from funding.funding_programme.schemas import FundingSettingsRead, FundingSettingsWrite
from funding.upstream import ProgrammeDep
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.problems import problem_responses

router = APIRouter(prefix="/v1/programmes", tags=["funding settings"], responses=problem_responses(401, 422))


@router.get(
    "/{programme_id}/funding-settings",
    response_model=FundingSettingsRead,
    summary="A programme's funding settings",
    responses=problem_responses(404),
)
async def get_settings(
    programme_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, response: Response
) -> FundingSettingsRead:
    """The programme's funding settings: its years and whether third parties' contributions count toward matching the
    federal integration credit. SEM sets them."""
    programme = await service.get_visible_programme(session, principal, programme_id)
    set_etag(response, programme.version)
    return service.to_read(programme)


@router.put(
    "/{programme_id}/funding-settings",
    response_model=FundingSettingsRead,
    summary="Set a programme's funding settings (SEM only, audited; If-Match once they exist)",
    description="A canton or partner is refused with 403 `funding/sem-decides`.",
    responses=problem_responses(403, 404, 412, 428, 503),
)
async def put_settings(
    programme_id: uuid.UUID,
    data: FundingSettingsWrite,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammeDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> FundingSettingsRead:
    programme = await service.put_settings(session, principal, programmes, programme_id, data, if_match)
    set_etag(response, programme.version)
    return service.to_read(programme)
