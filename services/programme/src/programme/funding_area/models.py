"""Funding areas (Förderbereiche) per period, with the areas of the previous period each one continues."""

from __future__ import annotations

import uuid

from sqlalchemy import JSON, Boolean, Column, ForeignKey, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.db import IdMixin, TimestampMixin, VersionedMixin
from programme.database import Base

funding_area_predecessor = Table(
    "funding_area_predecessor",
    Base.metadata,
    Column("funding_area_id", ForeignKey("funding_area.id", ondelete="CASCADE"), primary_key=True),
    Column("predecessor_id", ForeignKey("funding_area.id", ondelete="RESTRICT"), primary_key=True),
)


class FundingArea(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "funding_area"
    __table_args__ = (UniqueConstraint("period_id", "code"),)

    period_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("period.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]
    name_de: Mapped[str] = mapped_column(String(300))
    name_fr: Mapped[str | None] = mapped_column(String(300))
    name_it: Mapped[str | None] = mapped_column(String(300))
    #: Where the French and Italian names come from; `name_illustrative` while one of them is not official.
    name_source: Mapped[str | None] = mapped_column(Text)
    name_illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    pillar: Mapped[int]
    note: Mapped[str | None] = mapped_column(Text)

    predecessors: Mapped[list[FundingArea]] = relationship(
        secondary=funding_area_predecessor,
        primaryjoin=lambda: FundingArea.id == funding_area_predecessor.c.funding_area_id,
        secondaryjoin=lambda: FundingArea.id == funding_area_predecessor.c.predecessor_id,
        lazy="selectin",
        join_depth=1,
        order_by=lambda: FundingArea.position,
    )
