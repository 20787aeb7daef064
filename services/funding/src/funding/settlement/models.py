"""SEM's settlement decisions and the canton's acknowledgement and SEM's record of the repayment of each.

Nothing here is updated in place: a new decision is the programme's next version, an acknowledgement or a
repayment is a row of its own (one of each per decision)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from funding.database import Base
from kit.db import IdMixin, TimestampMixin
from kit.money import RappenType


class SettlementDecision(IdMixin, TimestampMixin, Base):
    __tablename__ = "settlement_decision"
    __table_args__ = (UniqueConstraint("programme_id", "number"),)

    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_programme.id", ondelete="RESTRICT"))
    canton: Mapped[str] = mapped_column(String(2), index=True)
    number: Mapped[int] = mapped_column(doc="The programme's decision version: 1, 2, …")
    carry_over_amount: Mapped[Decimal] = mapped_column(RappenType)
    refund_amount: Mapped[Decimal] = mapped_column(RappenType)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    reasons: Mapped[str] = mapped_column(Text)
    proposal: Mapped[dict[str, Any]] = mapped_column(JSON)
    decided_by: Mapped[str] = mapped_column(String(200))


class SettlementDecisionEvent(TimestampMixin, Base):
    """The canton's acknowledgement (`acknowledged`) or SEM's record of the repayment (`repaid`) of a decision."""

    __tablename__ = "settlement_decision_event"

    decision_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("settlement_decision.id", ondelete="RESTRICT"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_programme.id", ondelete="RESTRICT"))
    recorded_by: Mapped[str] = mapped_column(String(200))
    on_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
