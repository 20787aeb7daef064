"""Milestones of an evaluation, with due and done dates; whether one is overdue is computed, never stored."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from evaluation.database import Base
from kit.db import IdMixin, TimestampMixin, VersionedMixin


class Milestone(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "milestone"

    evaluation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    canton: Mapped[str] = mapped_column(String(2), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    done_date: Mapped[dt.date | None] = mapped_column(Date)
