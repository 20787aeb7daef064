"""Evaluations and studies of a programme, and what they look at (measures and partners)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from evaluation.database import Base
from kit.db import IdMixin, TimestampMixin, VersionedMixin
from kit.money import RappenType

#: The measures an evaluation looks at, with the partner that delivered each when it was named.
evaluation_measure = Table(
    "evaluation_measure",
    Base.metadata,
    Column("evaluation_id", ForeignKey("evaluation.id", ondelete="CASCADE"), primary_key=True),
    Column("measure_id", Uuid, primary_key=True, index=True),
    Column("partner_id", Uuid, nullable=True, index=True),
)

#: The partners an evaluation looks at directly.
evaluation_partner = Table(
    "evaluation_partner",
    Base.metadata,
    Column("evaluation_id", ForeignKey("evaluation.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", Uuid, primary_key=True, index=True),
)


class Evaluation(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "evaluation"

    programme_id: Mapped[uuid.UUID] = mapped_column(index=True)
    canton: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    commissioned_by: Mapped[str | None] = mapped_column(String(300))
    contractor: Mapped[str | None] = mapped_column(String(300))
    budget: Mapped[Decimal | None] = mapped_column(RappenType)
    planned_start: Mapped[dt.date | None] = mapped_column(Date)
    planned_end: Mapped[dt.date | None] = mapped_column(Date)
    actual_start: Mapped[dt.date | None] = mapped_column(Date)
    actual_end: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    public_summary: Mapped[str | None] = mapped_column(Text)
    report_url: Mapped[str | None] = mapped_column(String(2000))
    illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(Text)
