"""A programme as the funding service knows it: its canton and period (copied from the programme service when
first written, so reads authorise without calling out) and its funding settings."""

from __future__ import annotations

import uuid

from sqlalchemy import String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from funding.database import Base
from kit.db import TimestampMixin, VersionedMixin


class FundingProgramme(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "funding_programme"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # the programme service's id
    canton: Mapped[str] = mapped_column(String(2), index=True)
    first_year: Mapped[int]
    last_year: Mapped[int]
    third_parties_count_toward_match: Mapped[bool] = mapped_column(default=False)
