"""The canton's texts of an annual report, versioned: every change is a new row; the highest version is current.

`section` is `coordination` (VIntA art. 18 (d): coordination and cooperation among the actors, per funding area
and overall) or `financial_supervision` (the canton's supervision approach and the checks of the year). `scope`
is `overall` or the funding area's id; `details` holds the section's structured part (partners and regular
structures, or the checks carried out).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from evaluation.database import Base
from kit.db import IdMixin, UtcDateTime, utcnow


class ReportText(IdMixin, Base):
    __tablename__ = "report_text"
    __table_args__ = (UniqueConstraint("programme_id", "year", "section", "scope", "version"),)

    programme_id: Mapped[uuid.UUID] = mapped_column(index=True)
    canton: Mapped[str] = mapped_column(String(2), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    section: Mapped[str] = mapped_column(String(30))
    scope: Mapped[str] = mapped_column(String(36))
    funding_area_id: Mapped[uuid.UUID | None] = mapped_column()
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(Text)
    written_by: Mapped[str] = mapped_column(String(200))
    written_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
