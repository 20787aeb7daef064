"""Findings of an evaluation, its recommendations (numbered per evaluation), their management responses, and
the follow-up actions that carry them out."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from evaluation.database import Base
from kit.db import IdMixin, TimestampMixin, UtcDateTime, VersionedMixin


class Finding(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "finding"
    __table_args__ = (UniqueConstraint("evaluation_id", "number"),)

    evaluation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    canton: Mapped[str] = mapped_column(String(2))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)


class Recommendation(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "recommendation"
    __table_args__ = (UniqueConstraint("evaluation_id", "number"),)

    evaluation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[uuid.UUID] = mapped_column(index=True)
    canton: Mapped[str] = mapped_column(String(2), index=True)
    number: Mapped[int]
    finding_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("finding.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    addressee_partner_id: Mapped[uuid.UUID] = mapped_column(index=True)
    priority: Mapped[str] = mapped_column(String(10))
    response_due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    response_decision: Mapped[str | None] = mapped_column(String(10))
    response_reasons: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    responded_by: Mapped[str | None] = mapped_column(String(200))


class FollowUpAction(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "follow_up_action"

    recommendation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    canton: Mapped[str] = mapped_column(String(2), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(300))
    owner_partner_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[uuid.UUID]
