"""HTTP route of a programme's warnings."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from funding.funding_programme import service as programmes_service
from funding.warning import service
from funding.warning.schemas import WarningList
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.problems import problem_responses

router = APIRouter(prefix="/v1/programmes", tags=["reports"], responses=problem_responses(401, 404, 422))


@router.get(
    "/{programme_id}/warnings",
    response_model=WarningList,
    summary="What the rules allow but a person should look at",
    description="A plan in force above a credit, a commitment above the plan in force of its year × funding area "
    "× source, IFK planned above SEM's allocation, a year whose committed matching is not met. Computed from the "
    "figures as they stand; the writes that cause one answer it in their `warnings`.",
)
async def get_warnings(programme_id: uuid.UUID, session: SessionDep, principal: PrincipalDep) -> WarningList:
    programme = await programmes_service.get_visible_programme(session, principal, programme_id)
    return WarningList(programme_id=programme.id, items=await service.warnings(session, programme))
