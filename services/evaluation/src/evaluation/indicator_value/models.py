"""The values reported per indicator, programme and year, with optional breakdowns."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from evaluation.database import Base
from evaluation.quantity import QuantityType
from kit.db import IdMixin, TimestampMixin, UtcDateTime, VersionedMixin


class IndicatorValue(IdMixin, TimestampMixin, VersionedMixin, Base):
    """One value of an indicator for a programme and year; `dimension`/`category` are "" for the total."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("indicator_id", "programme_id", "year", "dimension", "category"),)

    indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[uuid.UUID] = mapped_column(index=True)
    canton: Mapped[str] = mapped_column(String(2), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    dimension: Mapped[str] = mapped_column(String(20), default="")
    category: Mapped[str] = mapped_column(String(60), default="")
    value: Mapped[Decimal] = mapped_column(QuantityType)
    status: Mapped[str] = mapped_column(String(10), index=True)
    partner_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    entered_by: Mapped[str] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    confirmed_by: Mapped[str | None] = mapped_column(String(200))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    illustrative: Mapped[bool] = mapped_column(default=False)
