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
    ANNUAL_REPORT = "annual_report"


class DueItem(BaseModel):
    kind: DueKind
    id: uuid.UUID = Field(
        description="The milestone, recommendation, action or indicator that is due (the programme, for a report)."
    )
    title: str
    due_date: dt.date
    overdue: bool = Field(description="The due date has passed (computed for today).")
    days_left: int = Field(description="Days from today to the due date; negative when overdue.")
    programme_id: uuid.UUID | None
    evaluation_id: uuid.UUID | None = None
    year: int | None = Field(
        default=None, description="For indicator values and reports: the year whose value or report is missing."
    )
    status: str | None = Field(
        default=None, description="For reports: `due`, `overdue` or `returned` (SEM sent it back for correction)."
    )
    partner_id: uuid.UUID | None = Field(default=None, description="The partner that is to act, if any.")


class DueList(BaseModel):
    today: dt.date
    within_days: int
    items: list[DueItem]
