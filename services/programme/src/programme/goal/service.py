"""Use cases of goals: SEM's strategic goals per area, a canton's outcome and output goals beneath them."""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Principal, Role, require_roles
from kit.etag import check_version
from kit.i18n import Msg
from kit.problems import Forbidden, InvalidInput, NotFound
from programme.funding_area.models import FundingArea
from programme.goal.models import Goal
from programme.goal.schemas import PARENT_LEVEL, GoalCreate, GoalLevel, GoalRead, GoalUpdate
from programme.problems import GoalHierarchy, UnknownReference
from programme.programme.models import Programme
from programme.programme.service import get_editable_programme, get_visible_programme


def to_read(goal: Goal) -> GoalRead:
    return GoalRead.model_validate(goal, from_attributes=True)


async def can_see_goal(session: AsyncSession, principal: Principal, goal: Goal) -> bool:
    if goal.programme_id is None:
        return True
    if principal.is_partner:
        return False
    programme = await session.get(Programme, goal.programme_id)
    return programme is not None and principal.can_read_canton(programme.canton)


async def get_visible_goal(session: AsyncSession, principal: Principal, goal_id: uuid.UUID) -> Goal:
    goal = await session.get(Goal, goal_id)
    if goal is None or not await can_see_goal(session, principal, goal):
        raise NotFound(Msg("No goal {goal_id}.", goal_id=goal_id))
    return goal


async def list_goals(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID | None,
    funding_area_id: uuid.UUID | None,
    level: GoalLevel | None,
) -> list[Goal]:
    """With a programme: SEM's goals of its period and the canton's own. Without: SEM's goals only."""
    query = select(Goal).join(FundingArea, FundingArea.id == Goal.funding_area_id)
    if programme_id is not None:
        programme = await get_visible_programme(session, principal, programme_id)
        query = query.where(
            FundingArea.period_id == programme.period_id,
            or_(Goal.programme_id.is_(None), Goal.programme_id == programme.id),
        )
    else:
        query = query.where(Goal.programme_id.is_(None))
    if funding_area_id is not None:
        query = query.where(Goal.funding_area_id == funding_area_id)
    if level is not None:
        query = query.where(Goal.level == level)
    query = query.order_by(FundingArea.position, Goal.level, Goal.code, Goal.id)
    return list((await session.scalars(query)).all())


async def create_goal(session: AsyncSession, principal: Principal, data: GoalCreate) -> Goal:
    area = await session.get(FundingArea, data.funding_area_id)
    if area is None:
        raise UnknownReference(
            Msg("Unknown funding area {funding_area_id}.", funding_area_id=data.funding_area_id),
            field=["body", "funding_area_id"],
        )
    if data.level is GoalLevel.STRATEGIC:
        require_roles(principal, Role.SEM)
        if data.programme_id is not None:
            raise GoalHierarchy(
                Msg("Strategic goals are SEM's and belong to no programme."), field=["body", "programme_id"]
            )
    else:
        if data.programme_id is None:
            raise GoalHierarchy(Msg("Outcome and output goals belong to a programme."), field=["body", "programme_id"])
        if principal.is_sem:
            raise Forbidden(Msg("Outcome and output goals are set by the canton."))
        programme = await get_editable_programme(session, principal, data.programme_id)
        if area.period_id != programme.period_id:
            raise UnknownReference(
                Msg("Funding area {code} is not an area of the programme's period.", code=area.code),
                field=["body", "funding_area_id"],
            )
    if data.parent_id is not None:
        parent = await session.get(Goal, data.parent_id)
        expected = PARENT_LEVEL.get(data.level)
        if (
            parent is None
            or expected is None
            or parent.level != expected
            or parent.funding_area_id != area.id
            or (parent.programme_id is not None and parent.programme_id != data.programme_id)
        ):
            raise GoalHierarchy(
                Msg(
                    "The parent must be a {level} goal of the same funding area and programme.",
                    level=expected or "no",
                ),
                field=["body", "parent_id"],
            )
    elif data.level is GoalLevel.OUTPUT:
        raise GoalHierarchy(Msg("An output goal hangs beneath an outcome goal."), field=["body", "parent_id"])
    goal = Goal(**data.model_dump())
    goal.level = str(data.level)
    session.add(goal)
    await session.flush()
    return goal


async def update_goal(
    session: AsyncSession, principal: Principal, goal_id: uuid.UUID, data: GoalUpdate, if_match: str | None
) -> Goal:
    goal = await get_visible_goal(session, principal, goal_id)
    if goal.programme_id is None:
        require_roles(principal, Role.SEM)
    else:
        await get_editable_programme(session, principal, goal.programme_id)
    check_version(goal.version, if_match)
    changes = data.model_dump(exclude_unset=True)
    for key in ("code", "title"):
        if key in changes and changes[key] is None:
            raise InvalidInput(Msg("{key} cannot be null.", key=key), field=["body", key])
    for key, value in changes.items():
        setattr(goal, key, value)
    await session.flush()
    return goal
