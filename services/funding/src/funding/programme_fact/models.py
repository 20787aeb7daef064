"""What funding knows of the programme service's measures and partners, kept from its events (a projection).

Never written by a request: only the consumer of the programme service's events (`kit.consumer`) changes these
rows, together with its cursor, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from funding.database import Base
from kit.consumer import ConsumedCursorMixin, ConsumedEventMixin
from kit.db import UtcDateTime, utcnow


class ProgrammeMeasure(Base):
    """A measure's status as the programme service last announced it; `version` is its ETag there."""

    __tablename__ = "programme_measure"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    canton: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int]
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class ProgrammePartner(Base):
    """A partner organisation's status (`active`, `deactivated`) as the programme service last announced it."""

    __tablename__ = "programme_partner"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    canton: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int]
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class ConsumedCursor(ConsumedCursorMixin, Base):
    pass


class ConsumedEvent(ConsumedEventMixin, Base):
    pass
