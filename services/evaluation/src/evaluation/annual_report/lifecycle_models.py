"""SEM's side of an annual report: the due date SEM sets per programme period, and SEM's decisions on each
submitted version (received, then accepted or returned). Decisions are appended, never changed."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from evaluation.database import Base
from kit.db import IdMixin, TimestampMixin, UtcDateTime, utcnow


class ReportDeadline(TimestampMixin, Base):
    """When the report of a year of a period is due: `due_month`/`due_day` of the year after the report year."""

    __tablename__ = "report_deadline"

    period_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    due_month: Mapped[int] = mapped_column(Integer)
    due_day: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(200))


class ReportDecision(IdMixin, Base):
    __tablename__ = "report_decision"
    __table_args__ = (UniqueConstraint("programme_id", "year", "version_number", "decision"),)

    programme_id: Mapped[uuid.UUID] = mapped_column(index=True)
    canton: Mapped[str] = mapped_column(String(2), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
