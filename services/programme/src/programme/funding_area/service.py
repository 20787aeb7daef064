"""Use cases of funding areas. Areas belong to a period and are national: SEM defines them."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Principal, Role, require_roles
from kit.etag import check_version
from kit.i18n import Msg
from kit.problems import InvalidInput, NotFound
from programme.funding_area.models import FundingArea
from programme.funding_area.schemas import (
    PILLARS,
    FundingAreaCreate,
    FundingAreaRead,
    FundingAreaUpdate,
    LocalisedName,
    PredecessorRef,
)
from programme.period.models import Period
from programme.problems import FundingAreaExists, UnknownReference


def to_read(area: FundingArea) -> FundingAreaRead:
    return FundingAreaRead(
        id=area.id,
        period_id=area.period_id,
        code=area.code,
        position=area.position,
        name=LocalisedName(de=area.name_de, fr=area.name_fr, it=area.name_it),
        name_source=area.name_source,
        name_illustrative=area.name_illustrative,
        aliases=list(area.aliases or []),
        pillar=area.pillar,
        pillar_name=PILLARS[area.pillar],
        predecessors=[PredecessorRef.model_validate(p) for p in area.predecessors],
        note=area.note,
        version=area.version,
    )


async def list_funding_areas(session: AsyncSession, period_code: str | None) -> list[FundingArea]:
    query = select(FundingArea).join(Period, Period.id == FundingArea.period_id)
    if period_code is not None:
        query = query.where(Period.code == period_code)
    query = query.order_by(Period.first_year, FundingArea.position)
    return list((await session.scalars(query)).all())


async def get_funding_area(session: AsyncSession, area_id: uuid.UUID) -> FundingArea:
    area = await session.get(FundingArea, area_id)
    if area is None:
        raise NotFound(Msg("No funding area {area_id}.", area_id=area_id))
    return area


async def create_funding_area(session: AsyncSession, principal: Principal, data: FundingAreaCreate) -> FundingArea:
    require_roles(principal, Role.SEM)
    period = await session.get(Period, data.period_id)
    if period is None:
        raise UnknownReference(
            Msg("Unknown period {period_id}.", period_id=data.period_id), field=["body", "period_id"]
        )
    duplicate = await session.scalar(
        select(FundingArea.id).where(FundingArea.period_id == period.id, FundingArea.code == data.code)
    )
    if duplicate:
        raise FundingAreaExists(
            Msg("Period {period} has a funding area {code} already.", period=period.code, code=repr(data.code))
        )
    predecessors = []
    for i, pred_id in enumerate(data.predecessor_ids):
        pred = await session.get(FundingArea, pred_id)
        if pred is None or pred.period_id == period.id:
            raise UnknownReference(
                Msg("{pred_id} is not a funding area of an earlier period.", pred_id=pred_id),
                field=["body", "predecessor_ids", i],
            )
        predecessors.append(pred)
    area = FundingArea(
        period_id=period.id,
        code=data.code,
        position=data.position,
        name_de=data.name.de,
        name_fr=data.name.fr,
        name_it=data.name.it,
        name_source=data.name_source,
        name_illustrative=data.name_illustrative,
        aliases=list(data.aliases),
        pillar=data.pillar,
        note=data.note,
        predecessors=predecessors,
    )
    session.add(area)
    await session.flush()
    return area


async def correct_funding_area(
    session: AsyncSession, principal: Principal, area_id: uuid.UUID, data: FundingAreaUpdate, if_match: str | None
) -> FundingArea:
    """SEM corrects an area's names or aliases (the audit trail records the change); nothing else moves."""
    require_roles(principal, Role.SEM)
    area = await get_funding_area(session, area_id)
    check_version(area.version, if_match)
    changes = data.model_dump(exclude_unset=True)
    names = changes.pop("name", None) or {}
    if "de" in names and names["de"] is None:
        raise InvalidInput(
            Msg("name.de cannot be null: every area has its official German name."), field=["body", "name", "de"]
        )
    for key in ("name_illustrative", "aliases") & changes.keys():
        if changes[key] is None:
            raise InvalidInput(Msg("{key} cannot be null.", key=key), field=["body", key])
    for key, value in names.items():
        setattr(area, f"name_{key}", value)
    for key, value in changes.items():
        setattr(area, key, list(value) if key == "aliases" else value)
    await session.flush()
    return area
