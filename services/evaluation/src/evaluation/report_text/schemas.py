"""Wire contracts of the canton's report texts: coordination and cooperation, financial supervision."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from pydantic import BaseModel, Field, StrictInt

from kit.dates import BusinessDate
from kit.schemas import Strict

MARKDOWN = "Markdown, as the canton writes it."


class Section(enum.StrEnum):
    COORDINATION = "coordination"
    FINANCIAL_SUPERVISION = "financial_supervision"


class _TextWrite(Strict):
    text: str = Field(min_length=1, max_length=50_000, description=MARKDOWN)
    previous_version: StrictInt | None = Field(
        default=None, ge=1, description="The version this text replaces (null for the first); else `409`."
    )
    illustrative: bool = Field(default=False, description="True for seeded or estimated text, not the canton's own.")
    source: str | None = Field(default=None, max_length=2000)


class CoordinationWrite(_TextWrite):
    funding_area_id: uuid.UUID | None = Field(default=None, description="The funding area; null for the overall text.")
    partner_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100, description="Partners involved.")
    regular_structures: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Regular structures involved (school, vocational training, labour market, health, …).",
    )


class SupervisionCheck(Strict):
    check_date: BusinessDate
    subject: str = Field(min_length=1, max_length=300, description="What was checked, e.g. a partner's accounts.")
    kind: str = Field(min_length=1, max_length=60, description="E.g. `desk_review`, `on_site`, `audit`.")
    result: str = Field(min_length=1, max_length=2000)
    partner_id: uuid.UUID | None = None


class SupervisionWrite(_TextWrite):
    checks: list[SupervisionCheck] = Field(default_factory=list, max_length=200, description="Checks of the year.")


class TextRead(BaseModel):
    id: uuid.UUID
    programme_id: uuid.UUID
    year: int
    section: Section
    funding_area_id: uuid.UUID | None
    version: int
    text: str = Field(description=MARKDOWN)
    partner_ids: list[uuid.UUID] = Field(default_factory=list)
    regular_structures: list[str] = Field(default_factory=list)
    checks: list[SupervisionCheck] = Field(default_factory=list)
    illustrative: bool
    source: str | None
    written_by: str
    written_at: dt.datetime


class SectionRead(BaseModel):
    """The current version of each text of a section of a year (coordination: overall and per funding area)."""

    programme_id: uuid.UUID
    year: int
    section: Section
    texts: list[TextRead]
