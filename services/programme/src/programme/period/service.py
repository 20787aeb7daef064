"""Use cases of KIP periods. Periods are national: SEM defines them, everyone reads them."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Principal, Role, require_roles
from kit.i18n import Msg
from kit.problems import NotFound
from programme.period.models import Period
from programme.period.schemas import PeriodCreate, PeriodRead
from programme.problems import PeriodExists, UnknownReference


def to_read(period: Period) -> PeriodRead:
    return PeriodRead.model_validate(period, from_attributes=True)


async def list_periods(session: AsyncSession) -> list[Period]:
    return list((await session.scalars(select(Period).order_by(Period.first_year))).all())


async def get_period(session: AsyncSession, period_id: uuid.UUID) -> Period:
    period = await session.get(Period, period_id)
    if period is None:
        raise NotFound(Msg("No period {period_id}.", period_id=period_id))
    return period


async def get_period_by_code(session: AsyncSession, code: str, *, field: str = "period") -> Period:
    period = await session.scalar(select(Period).where(Period.code == code))
    if period is None:
        raise UnknownReference(Msg("Unknown period {code}.", code=repr(code)), field=["body", field])
    return period


async def create_period(session: AsyncSession, principal: Principal, data: PeriodCreate) -> Period:
    require_roles(principal, Role.SEM)
    if await session.scalar(select(Period.id).where(Period.code == data.code)):
        raise PeriodExists(Msg("A period with code {code} exists already.", code=repr(data.code)))
    period = Period(**data.model_dump())
    session.add(period)
    await session.flush()
    return period
