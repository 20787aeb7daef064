"""A canton's programme for one period, and the canton's priority marks on the period's funding areas."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import IdMixin, TimestampMixin, VersionedMixin
from programme.database import Base


class Programme(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "programme"
    __table_args__ = (UniqueConstraint("canton", "period_id"),)

    canton: Mapped[str] = mapped_column(String(2), index=True)
    period_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("period.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    agreement_reference: Mapped[str | None] = mapped_column(String(100))
    agreement_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    #: The canton's working language (`de`, `fr`, `it`): the language of the programme's files when the reader
    #: asks for none.
    working_language: Mapped[str] = mapped_column(String(2), server_default="de")


class ProgrammeArea(TimestampMixin, VersionedMixin, Base):
    """Which of the period's funding areas a canton marks as a priority of its programme."""

    __tablename__ = "programme_area"

    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True)
    funding_area_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("funding_area.id", ondelete="RESTRICT"), primary_key=True
    )
    is_priority: Mapped[bool] = mapped_column(default=False)
