"""Service agreements (Leistungsvereinbarungen) with partners; every amendment is a new version whose lines and
signed text stay as they were."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from funding.database import Base
from kit.db import IdMixin, TimestampMixin, UtcDateTime, VersionedMixin, utcnow
from kit.money import RappenType


class Agreement(IdMixin, TimestampMixin, VersionedMixin, Base):
    """The agreement as a whole; `current_version` is the latest text, `signed_version` the one in force."""

    __tablename__ = "agreement"
    __table_args__ = (Index("ix_agreement_programme_status", "programme_id", "status"),)

    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_programme.id", ondelete="RESTRICT"))
    canton: Mapped[str] = mapped_column(String(2), index=True)
    partner_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    reference: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    current_version: Mapped[int] = mapped_column(default=1)
    signed_version: Mapped[int | None]
    illustrative: Mapped[bool] = mapped_column(default=False)
    source_note: Mapped[str | None] = mapped_column(Text)


class AgreementVersion(IdMixin, Base):
    __tablename__ = "agreement_version"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agreement.id", ondelete="RESTRICT"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    cost_cap: Mapped[Decimal | None] = mapped_column(RappenType)
    measure_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    signed_by: Mapped[str | None] = mapped_column(String(200))
    signed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class AgreementLine(IdMixin, Base):
    """The amount a version grants for one year, funding area and source."""

    __tablename__ = "agreement_line"
    __table_args__ = (UniqueConstraint("version_id", "year", "funding_area_id", "source"),)

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agreement_version.id", ondelete="RESTRICT"))
    year: Mapped[int]
    funding_area_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    source: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(RappenType)
