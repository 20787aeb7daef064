"""Partner organisations that deliver measures: associations, communes, cantonal offices, companies."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import IdMixin, TimestampMixin, VersionedMixin
from programme.database import Base


class Partner(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "partner"

    canton: Mapped[str] = mapped_column(String(2), index=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(30))
    uid: Mapped[str | None] = mapped_column(String(15), unique=True)
    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    town: Mapped[str | None] = mapped_column(String(100))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    #: `active`, or `deactivated`: the canton works with it no more (its records stay; no new commitments).
    status: Mapped[str] = mapped_column(String(20), default="active", server_default="active", index=True)
    illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(Text)
