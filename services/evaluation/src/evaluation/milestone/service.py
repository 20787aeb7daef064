"""Use cases of milestones: the canton plans them; overdue is computed from the injected clock."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.evaluation.service import get_editable_evaluation, get_visible_evaluation
from evaluation.milestone.models import Milestone
from evaluation.milestone.schemas import MilestoneCreate, MilestoneRead, MilestoneUpdate
from kit.auth import Principal
from kit.etag import check_version
from kit.i18n import Msg
from kit.problems import InvalidInput, NotFound


def is_overdue(due_date: dt.date, done_date: dt.date | None, today: dt.date) -> bool:
    return done_date is None and due_date < today


def to_read(milestone: Milestone, today: dt.date) -> MilestoneRead:
    return MilestoneRead(
        id=milestone.id,
        evaluation_id=milestone.evaluation_id,
        title=milestone.title,
        due_date=milestone.due_date,
        done_date=milestone.done_date,
        overdue=is_overdue(milestone.due_date, milestone.done_date, today),
        version=milestone.version,
    )


async def list_milestones(session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID) -> list[Milestone]:
    await get_visible_evaluation(session, principal, evaluation_id)
    query = select(Milestone).where(Milestone.evaluation_id == evaluation_id)
    return list((await session.scalars(query.order_by(Milestone.due_date, Milestone.id))).all())


async def create_milestone(
    session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID, data: MilestoneCreate
) -> Milestone:
    evaluation = await get_editable_evaluation(session, principal, evaluation_id)
    milestone = Milestone(evaluation_id=evaluation.id, canton=evaluation.canton, **data.model_dump())
    session.add(milestone)
    await session.flush()
    return milestone


async def update_milestone(
    session: AsyncSession, principal: Principal, milestone_id: uuid.UUID, data: MilestoneUpdate, if_match: str | None
) -> Milestone:
    milestone = await session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFound(Msg("No milestone {milestone_id}.", milestone_id=milestone_id))
    await get_editable_evaluation(session, principal, milestone.evaluation_id)
    check_version(milestone.version, if_match)
    changes = data.model_dump(exclude_unset=True)
    for key in ("title", "due_date"):
        if key in changes and changes[key] is None:
            raise InvalidInput(Msg("{key} cannot be null.", key=key), field=["body", key])
    for key, value in changes.items():
        setattr(milestone, key, value)
    await session.flush()
    return milestone
