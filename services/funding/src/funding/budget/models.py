"""Budget lines (programme × year × funding area × source) and their revisions, which are never overwritten."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from funding.database import Base
from kit.db import IdMixin, TimestampMixin, UtcDateTime, VersionedMixin, utcnow
from kit.money import RappenType


class BudgetLine(IdMixin, TimestampMixin, VersionedMixin, Base):
    """One planned amount; its revisions hold the amounts, `current_revision` names the plan in force."""

    __tablename__ = "budget_line"
    __table_args__ = (UniqueConstraint("programme_id", "year", "funding_area_id", "source"),)

    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_programme.id", ondelete="RESTRICT"))
    year: Mapped[int]
    funding_area_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    source: Mapped[str] = mapped_column(String(40))
    current_revision: Mapped[int] = mapped_column(default=1)
    illustrative: Mapped[bool] = mapped_column(default=False)
    source_note: Mapped[str | None] = mapped_column(Text)


class BudgetRevision(IdMixin, Base):
    """An amount as planned at one moment, with who planned it and why. Rows are only ever added."""

    __tablename__ = "budget_revision"
    __table_args__ = (UniqueConstraint("budget_line_id", "number"),)

    budget_line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("budget_line.id", ondelete="RESTRICT"))
    number: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(RappenType)
    reason: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
