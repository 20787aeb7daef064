"""SEM's programme agreement with the canton (Programmvereinbarung) as far as money goes: the federal integration
credit (IFK) it allocates to the programme, per year and for the period. Recorded by SEM only."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from funding.database import Base
from kit.db import TimestampMixin, VersionedMixin
from kit.money import RappenType


class FederalAllocation(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "federal_allocation"

    programme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("funding_programme.id", ondelete="RESTRICT"), primary_key=True
    )
    canton: Mapped[str] = mapped_column(String(2), index=True)
    reference: Mapped[str] = mapped_column(String(100))
    agreement_date: Mapped[dt.date] = mapped_column(Date)
    period_amount: Mapped[Decimal] = mapped_column(RappenType)
    recorded_by: Mapped[str] = mapped_column(String(200))
    illustrative: Mapped[bool] = mapped_column(default=False)
    source_note: Mapped[str | None] = mapped_column(Text)


class FederalAllocationYear(Base):
    """The IFK allocated for one year of the programme."""

    __tablename__ = "federal_allocation_year"

    programme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("federal_allocation.programme_id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    amount: Mapped[Decimal] = mapped_column(RappenType)
