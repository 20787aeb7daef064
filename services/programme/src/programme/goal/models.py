"""Programme goals: SEM's strategic goals per funding area, and a canton's outcome and output goals beneath."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import IdMixin, TimestampMixin, VersionedMixin
from programme.database import Base


class Goal(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "goal"

    funding_area_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_area.id", ondelete="RESTRICT"), index=True)
    #: None for SEM's strategic goals, which hold for every canton of the period.
    programme_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("goal.id", ondelete="RESTRICT"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(Text)
