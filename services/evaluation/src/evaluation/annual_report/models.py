"""Snapshots of a programme's annual report to SEM: each submission is a new, immutable version.

Nothing updates or deletes a version: there is no route for it, and the mapper refuses it as well.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from evaluation.database import Base
from kit.db import IdMixin, UtcDateTime, utcnow
from kit.i18n import Msg


class AnnualReportVersion(IdMixin, Base):
    __tablename__ = "annual_report_version"
    __table_args__ = (UniqueConstraint("programme_id", "year", "number"),)

    programme_id: Mapped[uuid.UUID] = mapped_column(index=True)
    canton: Mapped[str] = mapped_column(String(2), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    submitted_by: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    #: The completeness warnings the canton acknowledged when it submitted this version.
    acknowledged_warnings: Mapped[list[str] | None] = mapped_column(JSON)


class ImmutableVersion(RuntimeError):
    """Raised when code tries to change or delete a submitted annual-report version."""


@event.listens_for(AnnualReportVersion, "before_update")
def _refuse_update(*_: Any) -> None:
    raise ImmutableVersion(Msg("A submitted annual-report version never changes; submit a new version instead."))


@event.listens_for(AnnualReportVersion, "before_delete")
def _refuse_delete(*_: Any) -> None:
    raise ImmutableVersion(Msg("A submitted annual-report version is never deleted."))
