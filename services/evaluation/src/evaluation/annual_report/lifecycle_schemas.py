"""Wire contracts of an annual report's lifecycle: the due date per period, SEM's decisions, the state."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from pydantic import BaseModel, Field, StrictInt

from kit.schemas import Strict

TIME_RULE = (
    "A report of year Y covers the calendar year Y: `year` names the one year a figure belongs to, `years` the "
    "years a cumulative figure adds up, `as_of` the moment the figures were read. It may be submitted from 1 January "
    "of Y+1 (the year has ended) and is due on the period's due date in Y+1."
)


class ReportStatus(enum.StrEnum):
    NOT_DUE = "not_due"
    DUE = "due"
    OVERDUE = "overdue"
    SUBMITTED = "submitted"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class ReportVerdict(enum.StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class DeadlineSet(Strict):
    due_month: StrictInt = Field(ge=1, le=12, description="Month of the year after the report year.")
    due_day: StrictInt = Field(ge=1, le=31, description="Day of that month (the month's last day if it has fewer).")
    source: str | None = Field(default=None, max_length=2000, description="Where SEM set this date.")


class DeadlineRead(BaseModel):
    period_code: str
    due_month: int
    due_day: int
    assumption: bool = Field(description="True while the date is the built-in default, not one SEM has set.")
    source: str | None


class DecisionCreate(Strict):
    decision: ReportVerdict = Field(description="`received` first, then `accepted` or `returned`.")
    version: StrictInt | None = Field(default=None, ge=1, description="The version decided on; default the latest.")
    comment: str | None = Field(default=None, max_length=20_000, description="Required when returning a report.")


class DecisionRead(BaseModel):
    id: uuid.UUID
    version: int
    decision: ReportVerdict
    comment: str | None
    decided_by: str
    decided_at: dt.datetime


class ReportState(BaseModel):
    """Where a programme's report of a year stands, computed for today."""

    programme_id: uuid.UUID
    canton: str
    year: int
    status: ReportStatus = Field(
        description="`not_due` (the year has not ended), `due`, `overdue` (no version yet), `submitted`, "
        "`received`, `accepted` or `returned` (SEM's latest decision on the latest version)."
    )
    due_date: dt.date
    due_date_assumed: bool = Field(description="The due date is the built-in default, not one SEM has set.")
    overdue: bool = Field(description="Past the due date with nothing SEM can accept (no version, or returned).")
    versions: int
    latest_version: int | None
    illustrative: bool | None = Field(
        default=None, description="The latest version contains figures marked illustrative (null: no version)."
    )
    decisions: list[DecisionRead] = Field(default_factory=list, description="On every version, oldest first.")


class ReportStateList(BaseModel):
    today: dt.date
    year: int
    items: list[ReportState]
