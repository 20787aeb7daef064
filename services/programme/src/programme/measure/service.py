"""Use cases of measures. A partner sees only the measures it delivers."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from kit.auth import Principal
from kit.etag import check_version
from kit.i18n import Msg
from kit.pagination import PageParams, paginate
from kit.problems import Forbidden, InvalidInput, NotFound
from kit.row_read import RowRead
from programme.funding_area.models import FundingArea
from programme.goal.models import Goal
from programme.measure.models import Measure, measure_goal
from programme.measure.schemas import MeasureCreate, MeasureRead, MeasureStatus, MeasureUpdate
from programme.partner.models import Partner
from programme.problems import MeasureCodeTaken, UnknownReference
from programme.programme.models import Programme
from programme.programme.service import get_editable_programme

NOT_NULLABLE = {"funding_area_id", "code", "title", "target_groups", "communes", "status", "goal_ids"}


async def goal_ids_of(session: AsyncSession, measure_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    result: dict[uuid.UUID, list[uuid.UUID]] = {m: [] for m in measure_ids}
    if measure_ids:
        rows = await session.execute(
            select(measure_goal.c.measure_id, measure_goal.c.goal_id)
            .where(measure_goal.c.measure_id.in_(measure_ids))
            .order_by(measure_goal.c.goal_id)
        )
        for measure_id, goal_id in rows:
            result[measure_id].append(goal_id)
    return result


def to_read(measure: Measure, goal_ids: list[uuid.UUID]) -> MeasureRead:
    return MeasureRead.model_validate({**_columns(measure), "goal_ids": goal_ids})


def _columns(measure: Measure) -> dict[str, Any]:
    return {c.key: getattr(measure, c.key) for c in Measure.__table__.columns}


async def read_measure(session: AsyncSession, measure: Measure) -> MeasureRead:
    return to_read(measure, (await goal_ids_of(session, [measure.id]))[measure.id])


#: The hot read, built once, in one statement: the measure's columns, its programme's canton (for the visibility
#: check) and its goals, one row per goal (one row with no goal id for a measure without goals). Plain rows, no ORM
#: objects: a read changes nothing.
_READ_ONE = RowRead(
    select(
        Measure.__table__,
        Programme.__table__.c.canton.label("programme_canton"),
        measure_goal.c.goal_id.label("of_goal"),
    )
    .join(Programme.__table__, Programme.__table__.c.id == Measure.__table__.c.programme_id)
    .outerjoin(measure_goal, measure_goal.c.measure_id == Measure.__table__.c.id)
    .where(Measure.__table__.c.id == bindparam("measure_id"))
    .order_by(measure_goal.c.goal_id)
)
_MEASURE_KEYS = tuple(c.key for c in Measure.__table__.columns)


async def read_visible_measure(session: AsyncSession, principal: Principal, measure_id: uuid.UUID) -> MeasureRead:
    """A measure as the caller may read it, in one statement."""
    rows = await _READ_ONE.rows(session, {"measure_id": measure_id})
    if not rows:
        raise NotFound(Msg("No measure {measure_id}.", measure_id=measure_id))
    row = rows[0]
    if principal.is_partner:
        visible = row["partner_id"] is not None and row["partner_id"] == principal.partner_id
    else:
        visible = principal.can_read_canton(row["programme_canton"])
    if not visible:
        raise NotFound(Msg("No measure {measure_id}.", measure_id=measure_id))
    goal_ids = [r["of_goal"] for r in rows if r["of_goal"] is not None]
    return MeasureRead.model_validate({**{key: row[key] for key in _MEASURE_KEYS}, "goal_ids": goal_ids})


async def get_visible_measure(session: AsyncSession, principal: Principal, measure_id: uuid.UUID) -> Measure:
    """The measure if the caller may read it; the programme's canton comes in the same statement."""
    row = (
        await session.execute(
            select(Measure, Programme.canton)
            .join(Programme, Programme.id == Measure.programme_id)
            .where(Measure.id == measure_id)
        )
    ).first()
    if row is None:
        raise NotFound(Msg("No measure {measure_id}.", measure_id=measure_id))
    measure, canton = row
    if principal.is_partner:
        visible = measure.partner_id is not None and measure.partner_id == principal.partner_id
    else:
        visible = principal.can_read_canton(canton)
    if not visible:
        raise NotFound(Msg("No measure {measure_id}.", measure_id=measure_id))
    return measure


async def list_measures(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    programme_id: uuid.UUID | None,
    funding_area_id: uuid.UUID | None,
    partner_id: uuid.UUID | None,
    status: MeasureStatus | None,
) -> tuple[list[MeasureRead], int]:
    query = select(Measure)
    if principal.is_partner:
        query = query.where(Measure.partner_id == principal.partner_id)
    elif not principal.is_sem:
        query = query.join(Programme, Programme.id == Measure.programme_id).where(Programme.canton == principal.canton)
    if programme_id is not None:
        query = query.where(Measure.programme_id == programme_id)
    if funding_area_id is not None:
        query = query.where(Measure.funding_area_id == funding_area_id)
    if partner_id is not None:
        query = query.where(Measure.partner_id == partner_id)
    if status is not None:
        query = query.where(Measure.status == status)
    measures, total = await paginate(session, query.order_by(Measure.code, Measure.id), page)
    goals = await goal_ids_of(session, [m.id for m in measures])
    return [to_read(m, goals[m.id]) for m in measures], total


async def _check_references(session: AsyncSession, programme: Programme, values: dict[str, Any]) -> None:
    """Every id a measure names must exist and belong to the programme's canton and period."""
    if values.get("funding_area_id") is not None:
        area = await session.get(FundingArea, values["funding_area_id"])
        if area is None or area.period_id != programme.period_id:
            raise UnknownReference(
                Msg(
                    "Unknown funding area {funding_area_id} for this programme's period.",
                    funding_area_id=values["funding_area_id"],
                ),
                field=["body", "funding_area_id"],
            )
    if values.get("partner_id") is not None:
        partner = await session.get(Partner, values["partner_id"])
        if partner is None or partner.canton != programme.canton:
            raise UnknownReference(
                Msg(
                    "Unknown partner {partner_id} in canton {canton}.",
                    partner_id=values["partner_id"],
                    canton=programme.canton,
                ),
                field=["body", "partner_id"],
            )
    for i, goal_id in enumerate(values.get("goal_ids") or []):
        goal = await session.get(Goal, goal_id)
        if goal is None or goal.programme_id not in (None, programme.id):
            raise UnknownReference(
                Msg("Unknown goal {goal_id} for this programme.", goal_id=goal_id), field=["body", "goal_ids", i]
            )
        area = await session.get(FundingArea, goal.funding_area_id)
        if area is None or area.period_id != programme.period_id:
            raise UnknownReference(
                Msg("Goal {goal_id} belongs to another period.", goal_id=goal_id), field=["body", "goal_ids", i]
            )


async def _ensure_code_free(session: AsyncSession, programme_id: uuid.UUID, code: str, own: uuid.UUID | None) -> None:
    other = await session.scalar(select(Measure.id).where(Measure.programme_id == programme_id, Measure.code == code))
    if other is not None and other != own:
        raise MeasureCodeTaken(
            Msg("The programme has a measure {code} already: {other}.", code=repr(code), other=other)
        )


async def _set_goals(session: AsyncSession, measure_id: uuid.UUID, goal_ids: list[uuid.UUID]) -> None:
    await session.execute(delete(measure_goal).where(measure_goal.c.measure_id == measure_id))
    unique = list(dict.fromkeys(goal_ids))
    if unique:
        await session.execute(insert(measure_goal), [{"measure_id": measure_id, "goal_id": g} for g in unique])


async def create_measure(session: AsyncSession, principal: Principal, data: MeasureCreate) -> Measure:
    programme = await get_editable_programme(session, principal, data.programme_id)
    values = data.model_dump()
    await _check_references(session, programme, values)
    await _ensure_code_free(session, programme.id, data.code, None)
    goal_ids = values.pop("goal_ids")
    measure = Measure(**values)
    measure.status = str(data.status)
    measure.target_groups = [str(t) for t in data.target_groups]
    session.add(measure)
    await session.flush()
    await _set_goals(session, measure.id, goal_ids)
    return measure


async def update_measure(
    session: AsyncSession, principal: Principal, measure_id: uuid.UUID, data: MeasureUpdate, if_match: str | None
) -> Measure:
    measure = await get_visible_measure(session, principal, measure_id)
    if principal.is_partner:
        raise Forbidden(Msg("A partner reads the measures it delivers; the canton's editors change them."))
    programme = await get_editable_programme(session, principal, measure.programme_id)
    check_version(measure.version, if_match)
    changes = data.model_dump(exclude_unset=True)
    for key in NOT_NULLABLE & changes.keys():
        if changes[key] is None:
            raise InvalidInput(Msg("{key} cannot be null.", key=key), field=["body", key])
    start = changes.get("start_date", measure.start_date)
    end = changes.get("end_date", measure.end_date)
    if start and end and end < start:
        raise InvalidInput(Msg("end_date must not precede start_date."), field=["body", "end_date"])
    await _check_references(session, programme, changes)
    if "code" in changes:
        await _ensure_code_free(session, programme.id, changes["code"], measure.id)
    goal_ids = changes.pop("goal_ids", None)
    for key, value in changes.items():
        if key == "status":
            value = str(value)
        elif key == "target_groups":
            value = [str(t) for t in value]
        setattr(measure, key, value)
    if goal_ids is not None:
        await _set_goals(session, measure.id, goal_ids)
        flag_modified(measure, "updated_at")  # the goal links are part of the measure: bump its version too
    await session.flush()
    return measure
