"""Measures (Massnahmen): what a programme funds, in one funding area, delivered by a partner."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import IdMixin, TimestampMixin, VersionedMixin
from programme.database import Base

measure_goal = Table(
    "measure_goal",
    Base.metadata,
    Column("measure_id", ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_id", ForeignKey("goal.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Measure(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "measure"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    funding_area_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_area.id", ondelete="RESTRICT"), index=True)
    partner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partner.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    communes: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(Text)
