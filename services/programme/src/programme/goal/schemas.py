"""Wire contracts of programme goals."""

from __future__ import annotations

import enum
import uuid
from typing import Annotated

from pydantic import BaseModel, Field

from kit.schemas import Code, Strict


class GoalLevel(enum.StrEnum):
    STRATEGIC = "strategic"
    OUTCOME = "outcome"
    OUTPUT = "output"


#: A goal hangs beneath a goal of the level above it: strategic (SEM) → outcome → output (canton).
PARENT_LEVEL = {GoalLevel.OUTCOME: GoalLevel.STRATEGIC, GoalLevel.OUTPUT: GoalLevel.OUTCOME}

GoalTitle = Annotated[str, Field(min_length=1, max_length=1000)]
GoalDescription = Annotated[str, Field(max_length=10_000)]


class GoalCreate(Strict):
    funding_area_id: uuid.UUID
    programme_id: uuid.UUID | None = Field(
        default=None, description="The canton's programme; empty for SEM's strategic goals of the period."
    )
    parent_id: uuid.UUID | None = Field(default=None, description="The goal of the level above this one.")
    level: GoalLevel
    code: Code = Field(examples=["1.2"])
    title: GoalTitle
    description: GoalDescription | None = None


class GoalUpdate(Strict):
    code: Code | None = None
    title: GoalTitle | None = None
    description: GoalDescription | None = None


class GoalRead(BaseModel):
    id: uuid.UUID
    funding_area_id: uuid.UUID
    programme_id: uuid.UUID | None
    parent_id: uuid.UUID | None
    level: GoalLevel
    code: str
    title: str
    description: str | None
    illustrative: bool
    source: str | None
    version: int
