"""Disbursements against a signed agreement: requested → approved → paid, or rejected."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from funding.database import Base
from kit.db import IdMixin, TimestampMixin, UtcDateTime, VersionedMixin, utcnow
from kit.money import RappenType


class Disbursement(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "disbursement"
    __table_args__ = (
        UniqueConstraint("requested_by", "idempotency_key"),
        Index("ix_disbursement_agreement_year", "agreement_id", "year", "status"),
        # The amount last, so the reports' sums of paid disbursements read the index alone (index-only scan).
        Index("ix_disbursement_report", "programme_id", "status", "year", "funding_area_id", "source", "amount"),
    )

    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agreement.id", ondelete="RESTRICT"))
    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_programme.id", ondelete="RESTRICT"))
    canton: Mapped[str] = mapped_column(String(2), index=True)
    partner_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    year: Mapped[int]
    # The agreement line the request named; null when the canton's approval allocates it to lines.
    funding_area_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    source: Mapped[str | None] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(RappenType)
    value_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    paid_by: Mapped[str | None] = mapped_column(String(200))
    paid_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    idempotency_key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    illustrative: Mapped[bool] = mapped_column(default=False)
    source_note: Mapped[str | None] = mapped_column(Text)


class DisbursementLine(Base):
    """The part of a disbursement that goes on one agreement line (its year × funding area × source): what the line
    caps. A request that names its line has one from the start; otherwise the approval allocates it."""

    __tablename__ = "disbursement_line"
    __table_args__ = (Index("ix_disbursement_line_key", "agreement_id", "year", "funding_area_id", "source"),)

    disbursement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("disbursement.id", ondelete="CASCADE"), primary_key=True
    )
    funding_area_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agreement.id", ondelete="RESTRICT"))
    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_programme.id", ondelete="RESTRICT"))
    year: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(RappenType)
