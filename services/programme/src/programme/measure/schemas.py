"""Wire contracts of measures (Massnahmen)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated, Self

from pydantic import BaseModel, Field, model_validator

from kit.dates import BusinessDate
from kit.i18n import Msg
from kit.pagination import Page
from kit.schemas import Code, ShortText, Strict


class TargetGroup(enum.StrEnum):
    RECOGNISED_REFUGEES = "recognised_refugees"
    PROVISIONALLY_ADMITTED = "provisionally_admitted"
    STATUS_S = "status_s"
    ASYLUM_SEEKERS = "asylum_seekers"
    FAMILY_REUNIFICATION = "family_reunification"
    EU_EFTA = "eu_efta"
    THIRD_COUNTRIES = "third_countries"
    NEWCOMERS = "newcomers"
    CHILDREN_AND_FAMILIES = "children_and_families"
    YOUNG_ADULTS = "young_adults"
    WOMEN = "women"
    REGULAR_STRUCTURES = "regular_structures"
    GENERAL_POPULATION = "general_population"


class MeasureStatus(enum.StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


Commune = Annotated[str, Field(min_length=1, max_length=100)]
Description = Annotated[str, Field(max_length=10_000)]


class MeasureFields(Strict):
    funding_area_id: uuid.UUID | None = None
    code: Code | None = None
    title: ShortText | None = None
    description: Description | None = None
    target_groups: list[TargetGroup] | None = Field(default=None, max_length=len(TargetGroup))
    partner_id: uuid.UUID | None = Field(default=None, description="The partner organisation that delivers it.")
    communes: list[Commune] | None = Field(default=None, max_length=300, description="Communes covered.")
    start_date: BusinessDate | None = None
    end_date: BusinessDate | None = None
    status: MeasureStatus | None = None
    goal_ids: list[uuid.UUID] | None = Field(default=None, max_length=100, description="The goals it serves.")

    @model_validator(mode="after")
    def _dates_ordered(self) -> Self:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(Msg("end_date must not precede start_date"))
        return self


class MeasureCreate(MeasureFields):
    programme_id: uuid.UUID
    funding_area_id: uuid.UUID
    code: Code = Field(examples=["BL-2.1"])
    title: ShortText
    target_groups: list[TargetGroup] = Field(default_factory=list, max_length=len(TargetGroup))
    communes: list[Commune] = Field(default_factory=list, max_length=300)
    status: MeasureStatus = MeasureStatus.PLANNED
    goal_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)


class MeasureUpdate(MeasureFields):
    pass


class MeasureRead(BaseModel):
    id: uuid.UUID
    programme_id: uuid.UUID
    funding_area_id: uuid.UUID
    code: str
    title: str
    description: str | None
    target_groups: list[TargetGroup]
    partner_id: uuid.UUID | None
    communes: list[str]
    start_date: dt.date | None
    end_date: dt.date | None
    status: MeasureStatus
    goal_ids: list[uuid.UUID]
    illustrative: bool = Field(description="True where the record's values are only illustrative.")
    source: str | None
    version: int


MeasurePage = Page[MeasureRead]
