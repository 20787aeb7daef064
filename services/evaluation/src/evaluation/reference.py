"""What this service remembers of each programme it has checked: its canton and period.

Written whenever a write names a programme (after the programme service confirmed it), read to authorise
programme-level reads without asking the programme service again.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, String, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from evaluation.database import Base
from evaluation.upstream import Programmes
from kit.auth import Principal
from kit.db import TimestampMixin
from kit.i18n import Msg
from kit.problems import Forbidden, NotFound
from kit.programme_reader import Programme, parse_programme


class ProgrammeRef(TimestampMixin, Base):
    __tablename__ = "programme_ref"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    canton: Mapped[str] = mapped_column(String(2), index=True)
    period_code: Mapped[str] = mapped_column(String(20))
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True)
class ProgrammeInfo:
    id: uuid.UUID
    canton: str
    period_code: str
    first_year: int
    last_year: int


_PROGRAMME_INFO = select(
    ProgrammeRef.id, ProgrammeRef.canton, ProgrammeRef.period_code, ProgrammeRef.first_year, ProgrammeRef.last_year
).where(ProgrammeRef.id == bindparam("id"))


def _info(programme: Programme) -> ProgrammeInfo:
    return ProgrammeInfo(
        id=programme.id,
        canton=programme.canton,
        period_code=programme.period_code,
        first_year=programme.first_year,
        last_year=programme.last_year,
    )


async def remember_programme(session: AsyncSession, programme: Programme | Mapping[str, Any]) -> ProgrammeInfo:
    """Record (or refresh) a programme the programme service has just confirmed (typed, or its answer as JSON)."""
    info = _info(programme if isinstance(programme, Programme) else parse_programme(programme))
    ref = await session.get(ProgrammeRef, info.id)
    if ref is None:
        session.add(
            ProgrammeRef(
                id=info.id,
                canton=info.canton,
                period_code=info.period_code,
                first_year=info.first_year,
                last_year=info.last_year,
            )
        )
    else:
        ref.canton, ref.period_code = info.canton, info.period_code
        ref.first_year, ref.last_year = info.first_year, info.last_year
    await session.flush()
    return info


async def programme_for_read(
    session: AsyncSession, programmes: Programmes, principal: Principal, programme_id: uuid.UUID
) -> ProgrammeInfo:
    """A programme the caller (canton or SEM) may read; partners read programme-level figures via the canton."""
    if principal.is_partner:
        raise Forbidden(Msg("Programme-level figures are read by the canton and SEM, not by partners."))
    ref = (await session.execute(_PROGRAMME_INFO, {"id": programme_id})).first()
    if ref is not None:
        info = ProgrammeInfo(*ref)
    else:
        programme = await programmes.programme(programme_id)
        if programme is None:
            raise NotFound(Msg("No programme {programme_id}.", programme_id=programme_id))
        info = _info(programme)
    if not principal.can_read_canton(info.canton):
        raise NotFound(Msg("No programme {programme_id}.", programme_id=programme_id))
    return info
