"""HTTP routes of programme goals."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.problems import problem_responses
from programme.goal import service
from programme.goal.schemas import GoalCreate, GoalLevel, GoalRead, GoalUpdate

router = APIRouter(tags=["goals"], responses=problem_responses(401, 422))


@router.get("/v1/goals", response_model=list[GoalRead], summary="List goals", responses=problem_responses(404))
async def list_goals(
    session: SessionDep,
    principal: PrincipalDep,
    programme_id: Annotated[
        uuid.UUID | None, Query(description="SEM's goals of the programme's period and the canton's own.")
    ] = None,
    funding_area_id: Annotated[uuid.UUID | None, Query()] = None,
    level: Annotated[GoalLevel | None, Query()] = None,
) -> list[GoalRead]:
    """Goals the caller may see: SEM's strategic goals and the cantons' outcome and output goals of their own
    programmes, filtered by programme, funding area or level."""
    goals = await service.list_goals(session, principal, programme_id, funding_area_id, level)
    return [service.to_read(g) for g in goals]


@router.get(
    "/v1/programmes/{programme_id}/goals",
    response_model=list[GoalRead],
    summary="The goals of a programme: SEM's strategic goals of its period and the canton's own",
    responses=problem_responses(404),
)
async def list_programme_goals(
    programme_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    funding_area_id: Annotated[uuid.UUID | None, Query()] = None,
    level: Annotated[GoalLevel | None, Query()] = None,
) -> list[GoalRead]:
    """Every goal that applies to one programme: the strategic goals SEM set for its period and the outcome and output
    goals the canton set for it, grouped by funding area."""
    goals = await service.list_goals(session, principal, programme_id, funding_area_id, level)
    return [service.to_read(g) for g in goals]


@router.post(
    "/v1/goals",
    response_model=GoalRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a goal (strategic: SEM; outcome and output: the canton)",
    responses=problem_responses(403, 404, 409),
)
async def create_goal(data: GoalCreate, session: SessionDep, principal: PrincipalDep, response: Response) -> GoalRead:
    """Strategic goals are SEM's, per period and funding area; outcome and output goals belong to a canton's programme
    and are written by its canton editors. The answer carries the goal's ETag and `Location`."""
    goal = await service.create_goal(session, principal, data)
    set_etag(response, goal.version)
    response.headers["Location"] = f"/v1/goals/{goal.id}"
    return service.to_read(goal)


@router.get("/v1/goals/{goal_id}", response_model=GoalRead, summary="Read a goal", responses=problem_responses(404))
async def get_goal(goal_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, response: Response) -> GoalRead:
    """One goal with its level, funding area and texts; its ETag is the version a change sends back in `If-Match`."""
    goal = await service.get_visible_goal(session, principal, goal_id)
    set_etag(response, goal.version)
    return service.to_read(goal)


@router.patch(
    "/v1/goals/{goal_id}",
    response_model=GoalRead,
    summary="Change a goal",
    responses=problem_responses(403, 404, 409, 412, 428),
)
async def update_goal(
    goal_id: uuid.UUID,
    data: GoalUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> GoalRead:
    """Changes the fields sent. Send the ETag read in `If-Match` (428 without it, 412 when someone changed the goal
    meanwhile); the change and its audit record are written together."""
    goal = await service.update_goal(session, principal, goal_id, data, if_match)
    set_etag(response, goal.version)
    return service.to_read(goal)
