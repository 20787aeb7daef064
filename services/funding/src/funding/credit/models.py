"""Expenditure authorisations (credits): what a cantonal body allowed the canton to commit, for which years and
sources."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from funding.database import Base
from kit.db import IdMixin, TimestampMixin, VersionedMixin
from kit.money import RappenType


class Credit(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "credit"

    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_programme.id", ondelete="RESTRICT"), index=True)
    canton: Mapped[str] = mapped_column(String(2), index=True)
    body: Mapped[str] = mapped_column(String(200))
    decision_date: Mapped[dt.date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(100))
    votes_for: Mapped[int | None]
    votes_against: Mapped[int | None]
    amount: Mapped[Decimal] = mapped_column(RappenType)
    first_year: Mapped[int]
    last_year: Mapped[int]
    note: Mapped[str | None] = mapped_column(Text)
    illustrative: Mapped[bool] = mapped_column(default=False)
    source_note: Mapped[str | None] = mapped_column(Text)


class CreditSource(Base):
    """A funding source a credit covers."""

    __tablename__ = "credit_source"

    credit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("credit.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(40), primary_key=True)
