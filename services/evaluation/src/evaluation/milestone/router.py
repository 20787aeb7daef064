"""HTTP routes of milestones."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from evaluation.clock import TodayDep
from evaluation.milestone import service
from evaluation.milestone.schemas import MilestoneCreate, MilestoneRead, MilestoneUpdate
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.problems import problem_responses

router = APIRouter(tags=["milestones"], responses=problem_responses(401, 404, 422))


@router.get(
    "/v1/evaluations/{evaluation_id}/milestones",
    response_model=list[MilestoneRead],
    summary="The milestones of an evaluation, with `overdue` computed for today",
)
async def list_milestones(
    evaluation_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, today: TodayDep
) -> list[MilestoneRead]:
    """The evaluation's milestones by due date; `overdue` is true for one not done whose date has passed today."""
    return [service.to_read(m, today) for m in await service.list_milestones(session, principal, evaluation_id)]


@router.post(
    "/v1/evaluations/{evaluation_id}/milestones",
    response_model=MilestoneRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a milestone",
    responses=problem_responses(403),
)
async def create_milestone(
    evaluation_id: uuid.UUID,
    data: MilestoneCreate,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    response: Response,
) -> MilestoneRead:
    """Adds a milestone (name and due date) to an evaluation of the caller's canton."""
    milestone = await service.create_milestone(session, principal, evaluation_id, data)
    set_etag(response, milestone.version)
    return service.to_read(milestone, today)


@router.patch(
    "/v1/milestones/{milestone_id}",
    response_model=MilestoneRead,
    summary="Change a milestone or mark it done",
    responses=problem_responses(403, 412, 428),
)
async def update_milestone(
    milestone_id: uuid.UUID,
    data: MilestoneUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> MilestoneRead:
    """Changes a milestone's name or date, or marks it done, with the ETag read in `If-Match`."""
    milestone = await service.update_milestone(session, principal, milestone_id, data, if_match)
    set_etag(response, milestone.version)
    return service.to_read(milestone, today)
