"""Use cases of follow-up actions: the canton plans and tracks what each recommendation changes."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.indicator.models import Indicator
from evaluation.problems import UnknownReference
from evaluation.recommendation.models import FollowUpAction, Recommendation
from evaluation.recommendation.schemas import (
    CLOSED_ACTION,
    ActionCreate,
    ActionRead,
    ActionStatus,
    ActionUpdate,
    TargetKind,
)
from evaluation.recommendation.service import get_visible_recommendation
from evaluation.upstream import Programmes
from kit.auth import Principal
from kit.etag import check_version
from kit.i18n import Msg
from kit.problems import InvalidInput, NotFound


def to_read(action: FollowUpAction, today: dt.date) -> ActionRead:
    state = ActionStatus(action.status)
    return ActionRead(
        id=action.id,
        recommendation_id=action.recommendation_id,
        title=action.title,
        owner=action.owner,
        owner_partner_id=action.owner_partner_id,
        due_date=action.due_date,
        status=state,
        target_kind=TargetKind(action.target_kind),
        target_id=action.target_id,
        overdue=state not in CLOSED_ACTION and action.due_date < today,
        version=action.version,
    )


async def _check_target(
    session: AsyncSession, programmes: Programmes, rec: Recommendation, kind: TargetKind, target_id: uuid.UUID
) -> None:
    field: list[str | int] = ["body", "target_id"]
    if kind is TargetKind.MEASURE:
        await programmes.require_measure(target_id, rec.programme_id, field)
    elif kind is TargetKind.GOAL:
        await programmes.require_goal(target_id, rec.programme_id, field)
    elif kind is TargetKind.INDICATOR:
        indicator = await session.get(Indicator, target_id)
        if indicator is None or indicator.programme_id not in (None, rec.programme_id):
            raise UnknownReference(
                Msg("Unknown indicator {target_id} for this programme.", target_id=target_id), field=field
            )
    # A budget line belongs to the funding service, which this service does not call; its id is kept as given.


async def list_actions(
    session: AsyncSession, principal: Principal, recommendation_id: uuid.UUID
) -> list[FollowUpAction]:
    rec = await get_visible_recommendation(session, principal, recommendation_id)
    query = select(FollowUpAction).where(FollowUpAction.recommendation_id == rec.id)
    return list((await session.scalars(query.order_by(FollowUpAction.due_date, FollowUpAction.id))).all())


async def create_action(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    recommendation_id: uuid.UUID,
    data: ActionCreate,
) -> FollowUpAction:
    rec = await get_visible_recommendation(session, principal, recommendation_id)
    principal.require_editor(rec.canton)
    await _check_target(session, programmes, rec, data.target_kind, data.target_id)
    if data.owner_partner_id is not None:
        await programmes.require_partner(data.owner_partner_id, rec.canton, ["body", "owner_partner_id"])
    action = FollowUpAction(
        recommendation_id=rec.id,
        canton=rec.canton,
        title=data.title,
        owner=data.owner,
        owner_partner_id=data.owner_partner_id,
        due_date=data.due_date,
        status=str(data.status),
        target_kind=str(data.target_kind),
        target_id=data.target_id,
    )
    session.add(action)
    await session.flush()
    return action


async def update_action(
    session: AsyncSession, principal: Principal, action_id: uuid.UUID, data: ActionUpdate, if_match: str | None
) -> FollowUpAction:
    action = await session.get(FollowUpAction, action_id)
    if action is None:
        raise NotFound(Msg("No follow-up action {action_id}.", action_id=action_id))
    await get_visible_recommendation(session, principal, action.recommendation_id)
    principal.require_editor(action.canton)
    check_version(action.version, if_match)
    changes = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        if value is None:
            raise InvalidInput(Msg("{key} cannot be null.", key=key), field=["body", key])
        setattr(action, key, str(value) if key == "status" else value)
    await session.flush()
    return action
