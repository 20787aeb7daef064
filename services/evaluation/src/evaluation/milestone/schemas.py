"""Wire contracts of milestones."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, Field

from kit.dates import BusinessDate
from kit.schemas import ShortText, Strict


class MilestoneCreate(Strict):
    title: ShortText = Field(examples=["Schlussbericht liegt vor"])
    due_date: BusinessDate
    done_date: BusinessDate | None = None


class MilestoneUpdate(Strict):
    title: ShortText | None = None
    due_date: BusinessDate | None = None
    done_date: BusinessDate | None = Field(default=None, description="Set when reached; null to reopen.")


class MilestoneRead(BaseModel):
    id: uuid.UUID
    evaluation_id: uuid.UUID
    title: str
    due_date: dt.date
    done_date: dt.date | None
    overdue: bool = Field(description="Not done and the due date has passed (computed from today's date).")
    version: int
