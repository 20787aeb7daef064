"""Wire contracts of indicators, their targets, the rules between them and SEM's national goals, and the codes
the indicator values and goal achievement share."""

from __future__ import annotations

import enum
import uuid
from typing import Annotated

from pydantic import BaseModel, Field

from evaluation.quantity import Quantity
from kit.schemas import Code, ShortText, Strict

Year = Annotated[int, Field(ge=2000, le=2100, strict=True, examples=[2025])]
Note = Annotated[str, Field(min_length=1, max_length=2000)]


class Level(enum.StrEnum):
    OUTPUT = "output"
    OUTCOME = "outcome"
    IMPACT = "impact"


class Unit(enum.StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    CHF = "chf"
    HOURS = "hours"


#: Units whose breakdown parts add up to the total.
ADDITIVE = {Unit.COUNT, Unit.CHF, Unit.HOURS}


class Direction(enum.StrEnum):
    HIGHER = "higher_is_better"
    LOWER = "lower_is_better"


class Aggregation(enum.StrEnum):
    SUM = "sum"
    MEAN = "mean"
    LATEST = "latest"


#: An indicator value's status, here with the indicators' other reference codes (each labelled in the catalogues).
class ValueStatus(enum.StrEnum):
    REPORTED = "reported"
    CONFIRMED = "confirmed"


class NationalGoalRead(BaseModel):
    id: uuid.UUID
    code: str
    title: str
    source: str | None


class IndicatorFields(Strict):
    title: ShortText | None = None
    level: Level | None = None
    baseline: Quantity | None = None
    baseline_year: Year | None = None
    direction: Direction | None = None
    aggregation: Aggregation | None = Field(
        default=None, description="How the values of the period's years combine into the actual to date."
    )
    source: Note | None = None


class IndicatorCreate(IndicatorFields):
    programme_id: uuid.UUID | None = Field(default=None, description="None for SEM's national indicators.")
    goal_id: uuid.UUID | None = Field(default=None, description="A goal in the programme service.")
    measure_id: uuid.UUID | None = Field(default=None, description="A measure in the programme service.")
    national_goal_id: uuid.UUID | None = None
    code: Code = Field(examples=["BL-1.01-a"])
    title: ShortText
    level: Level
    unit: Unit
    direction: Direction = Direction.HIGHER
    aggregation: Aggregation = Aggregation.SUM


class IndicatorUpdate(IndicatorFields):
    pass


class IndicatorRead(BaseModel):
    id: uuid.UUID
    programme_id: uuid.UUID | None
    national: bool = Field(description="True for SEM's national indicators, which every programme reports.")
    goal_id: uuid.UUID | None
    measure_id: uuid.UUID | None
    national_goal_id: uuid.UUID | None
    code: str
    title: str
    level: Level
    unit: Unit
    baseline: Quantity | None
    baseline_year: int | None
    direction: Direction
    aggregation: Aggregation
    illustrative: bool
    source: str | None
    version: int
    measure_status: str | None = Field(
        default=None,
        description="In lists: the measure's status (`completed` and `cancelled` close it) as evaluation last learnt "
        "it from the programme service's events; null when unknown or for a goal's indicator.",
    )


class TargetWrite(Strict):
    value: Quantity
    source: Note | None = None


class TargetRead(BaseModel):
    indicator_id: uuid.UUID
    year: int
    value: Quantity
    illustrative: bool
    source: str | None
    version: int


class RuleCreate(Strict):
    lower_indicator_id: uuid.UUID
    upper_indicator_id: uuid.UUID
    description: ShortText = Field(examples=["Course completers ≤ course participants"])


class RuleRead(BaseModel):
    id: uuid.UUID
    lower_indicator_id: uuid.UUID
    upper_indicator_id: uuid.UUID
    description: str
