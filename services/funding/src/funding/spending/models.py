"""Actual spending per programme × year × funding area × source, and federal payments received from SEM."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from funding.database import Base
from kit.db import IdMixin, TimestampMixin, VersionedMixin
from kit.money import RappenType


class ActualSpending(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "actual_spending"
    __table_args__ = (UniqueConstraint("programme_id", "year", "funding_area_id", "source"),)

    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_programme.id", ondelete="RESTRICT"))
    year: Mapped[int]
    funding_area_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    source: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(RappenType)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    illustrative: Mapped[bool] = mapped_column(default=False)
    source_note: Mapped[str | None] = mapped_column(Text)


class FederalPayment(IdMixin, TimestampMixin, Base):
    """Money SEM paid to the canton for the programme; recorded by SEM, never changed."""

    __tablename__ = "federal_payment"
    __table_args__ = (Index("ix_federal_payment_programme_source", "programme_id", "source", "year"),)

    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_programme.id", ondelete="RESTRICT"))
    canton: Mapped[str] = mapped_column(String(2), index=True)
    year: Mapped[int]
    source: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(RappenType)
    value_date: Mapped[dt.date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(100))
    recorded_by: Mapped[str] = mapped_column(String(200))
    illustrative: Mapped[bool] = mapped_column(default=False)
    source_note: Mapped[str | None] = mapped_column(Text)
