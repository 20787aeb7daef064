"""A programme's outline: the programme, its period's funding areas with the canton's priority marks, the goals
that apply to it and its measures, in one answer.

The same items, in the same order, as `GET /v1/programmes/{id}`, `…/funding-areas`, `…/goals` and
`GET /v1/measures?programme_id=` (every page); for a reader who needs the whole structure at once, such as a
cockpit or an annual report, one request instead of four.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Principal, PrincipalDep
from kit.db import SessionDep
from kit.problems import problem_responses
from programme.goal import service as goal_service
from programme.goal.schemas import GoalRead
from programme.measure import service as measure_service
from programme.measure.models import Measure
from programme.measure.schemas import MeasureRead
from programme.programme import service as programme_service
from programme.programme.schemas import ProgrammeAreaRead, ProgrammeRead

router = APIRouter(prefix="/v1/programmes", tags=["programmes"], responses=problem_responses(401, 404, 422))


class ProgrammeOutline(BaseModel):
    programme: ProgrammeRead
    funding_areas: list[ProgrammeAreaRead] = Field(
        description="Every funding area of the programme's period with the canton's priority mark, by position."
    )
    goals: list[GoalRead] = Field(
        description="SEM's strategic goals of the period and the canton's outcome and output goals of the programme."
    )
    measures: list[MeasureRead] = Field(description="Every measure of the programme, by code.")


async def outline(session: AsyncSession, principal: Principal, programme_id: uuid.UUID) -> ProgrammeOutline:
    programme = await programme_service.get_visible_programme(session, principal, programme_id)
    areas = await programme_service.list_programme_areas(session, principal, programme.id)
    goals = await goal_service.list_goals(session, principal, programme.id, None, None)
    query = select(Measure).where(Measure.programme_id == programme.id).order_by(Measure.code, Measure.id)
    measures = list((await session.scalars(query)).all())
    goal_ids = await measure_service.goal_ids_of(session, [m.id for m in measures])
    return ProgrammeOutline(
        programme=await programme_service.read_programme(session, programme),
        funding_areas=areas,
        goals=[goal_service.to_read(g) for g in goals],
        measures=[measure_service.to_read(m, goal_ids[m.id]) for m in measures],
    )


@router.get(
    "/{programme_id}/outline",
    response_model=ProgrammeOutline,
    summary="A programme with its funding areas, goals and measures, in one answer",
)
async def get_outline(programme_id: uuid.UUID, session: SessionDep, principal: PrincipalDep) -> ProgrammeOutline:
    """The programme, its period's funding areas with the canton's priority marks, the goals that apply to it and
    all its measures: the same items as the four reads they stand for. Canton staff read their canton's, SEM
    every canton's; a partner reads the measures it delivers under `/v1/measures` (404 here, as for the
    programme)."""
    return await outline(session, principal, programme_id)
