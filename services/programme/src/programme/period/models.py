"""KIP periods (KIP 1, 2, 2bis, 3): national, defined by SEM, shared by every canton."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import IdMixin, TimestampMixin, VersionedMixin
from programme.database import Base


class Period(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "period"
    __table_args__ = (CheckConstraint("last_year >= first_year", name="years_ordered"),)

    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    first_year: Mapped[int]
    last_year: Mapped[int]
