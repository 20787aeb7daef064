"""Wire contracts of goal achievement (per indicator and per goal) and of a programme's key figures."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from evaluation.indicator.schemas import Aggregation, Direction, Level, Unit
from evaluation.indicator_value.schemas import Dimension
from evaluation.quantity import Quantity


class IndicatorAchievement(BaseModel):
    indicator_id: uuid.UUID
    code: str
    title: str
    unit: Unit
    direction: Direction
    aggregation: Aggregation
    year: int = Field(description="The report year the `year_…` figures belong to.")
    year_target: Quantity | None = Field(description="The target of the report year.")
    year_value: Quantity | None = Field(description="The confirmed value of the report year; null when missing.")
    year_status: str = Field(description="`confirmed`, `reported` (not yet confirmed) or `missing` for the year.")
    years: list[int] = Field(description="The years whose confirmed values make up `actual` (to date).")
    target: Quantity | None = Field(description="The target to date: over `years`, by the aggregation rule.")
    actual: Quantity | None = Field(description="The confirmed value to date: over `years`, by the aggregation rule.")
    illustrative: bool = Field(description="The indicator, a target or a value used is illustrative (seeded).")
    ratio: Quantity | None = Field(description="Achievement ratio respecting the direction, uncapped.")
    capped_ratio: Quantity | None = Field(description="The ratio capped at 1, as it counts for the goal.")
    note: str | None = None


class GoalAchievement(BaseModel):
    kind: str = Field(description="`programme_goal` (a goal in the programme service) or `national_goal`.")
    goal_id: uuid.UUID
    code: str | None = None
    title: str | None = None
    achievement: Quantity | None = Field(description="Mean of the capped ratios of its indicators with a ratio.")
    indicators: list[IndicatorAchievement]


class GoalAchievementReport(BaseModel):
    programme_id: uuid.UUID
    year: int
    formula: str
    goals: list[GoalAchievement]


class KeyFigure(BaseModel):
    indicator_id: uuid.UUID
    code: str
    title: str
    level: Level
    unit: Unit
    measure_id: uuid.UUID | None
    goal_id: uuid.UUID | None
    national_goal_id: uuid.UUID | None
    dimension: Dimension | None
    category: str | None
    value: Quantity
    source: str | None
    illustrative: bool


class KeyFigures(BaseModel):
    programme_id: uuid.UUID
    year: int
    items: list[KeyFigure]
