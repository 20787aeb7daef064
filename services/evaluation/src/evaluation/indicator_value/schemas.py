"""Wire contracts of indicator values: a value per year, optionally one part of a breakdown."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated, Self

from pydantic import BaseModel, Field, model_validator

from evaluation.indicator.schemas import Note, ValueStatus, Year
from evaluation.quantity import Quantity
from kit.i18n import Msg
from kit.schemas import Strict


class Dimension(enum.StrEnum):
    SEX = "sex"
    AGE_BAND = "age_band"
    TARGET_GROUP = "target_group"


SEX_CATEGORIES = {"female", "male", "other", "unknown"}
CATEGORY_PATTERNS = {Dimension.AGE_BAND: r"^\d{1,3}(-\d{1,3}|\+)$", Dimension.TARGET_GROUP: r"^[a-z][a-z0-9_]{1,59}$"}


class ValueCreate(Strict):
    programme_id: uuid.UUID | None = Field(default=None, description="Required for a national indicator.")
    year: Year
    dimension: Dimension | None = Field(default=None, description="Set with `category` for a breakdown part.")
    category: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    value: Quantity
    source: Note | None = None
    evidence: Note | None = Field(default=None, description="Where the figure can be checked (document, list).")

    @model_validator(mode="after")
    def _breakdown_complete(self) -> Self:
        if (self.dimension is None) != (self.category is None):
            raise ValueError(Msg("dimension and category are given together or not at all"))
        return self


class ValueUpdate(Strict):
    value: Quantity | None = None
    source: Note | None = None
    evidence: Note | None = None


class ValueRead(BaseModel):
    id: uuid.UUID
    indicator_id: uuid.UUID
    programme_id: uuid.UUID
    year: int
    dimension: Dimension | None
    category: str | None
    value: Quantity
    status: ValueStatus
    partner_id: uuid.UUID | None
    entered_by: str
    source: str | None
    evidence: str | None
    confirmed_by: str | None
    confirmed_at: dt.datetime | None
    illustrative: bool
    version: int
