"""HTTP route of the due list."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from evaluation.clock import TodayDep
from evaluation.due import service
from evaluation.due.schemas import DueList
from evaluation.upstream import ProgrammesDep
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.problems import problem_responses

router = APIRouter(tags=["due"], responses=problem_responses(401, 422, 503))


@router.get(
    "/v1/due",
    response_model=DueList,
    summary="What is overdue or due within N days: milestones, responses, actions, indicator values",
)
async def due_list(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    today: TodayDep,
    programme_id: Annotated[uuid.UUID | None, Query()] = None,
    within_days: Annotated[int, Query(ge=0, le=366, description="How far ahead to look.")] = 30,
) -> DueList:
    """A canton sees its canton's items, SEM all, a partner only its own. Indicator values of a year are due
    `EVALUATION_VALUES_DUE_DAYS` (default 31) days after the year ends, for every year with a target."""
    due_days = int(request.app.state.settings.values_due_days)
    items = await service.due_list(session, principal, programmes, programme_id, within_days, today, due_days)
    return DueList(today=today, within_days=within_days, items=items)
