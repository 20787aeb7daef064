"""Wire contracts of the due list."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from pydantic import BaseModel, Field


class DueKind(enum.StrEnum):
    MILESTONE = "milestone"
    MANAGEMENT_RESPONSE = "management_response"
    FOLLOW_UP_ACTION = "follow_up_action"
    INDICATOR_VALUE = "indicator_value"


class DueItem(BaseModel):
    kind: DueKind
    id: uuid.UUID = Field(description="The milestone, recommendation, action or indicator that is due.")
    title: str
    due_date: dt.date
    overdue: bool = Field(description="The due date has passed (computed for today).")
    days_left: int = Field(description="Days from today to the due date; negative when overdue.")
    programme_id: uuid.UUID | None
    evaluation_id: uuid.UUID | None = None
    year: int | None = Field(default=None, description="For indicator values: the year whose value is missing.")
    partner_id: uuid.UUID | None = Field(default=None, description="The partner that is to act, if any.")


class DueList(BaseModel):
    today: dt.date
    within_days: int
    items: list[DueItem]
