"""Wire contracts of findings, recommendations, management responses and follow-up actions."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated

from pydantic import BaseModel, Field

from kit.dates import BusinessDate
from kit.pagination import Page
from kit.schemas import ShortText, Strict

Text = Annotated[str, Field(min_length=1, max_length=10_000)]

#: Days the addressee has to answer when the canton sets no response due date.
DEFAULT_RESPONSE_DAYS = 90


class Priority(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Decision(enum.StrEnum):
    ACCEPTED = "accepted"
    PARTLY = "partly"
    REJECTED = "rejected"


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


CLOSED_ACTION = {ActionStatus.DONE, ActionStatus.DROPPED}


class TargetKind(enum.StrEnum):
    MEASURE = "measure"
    GOAL = "goal"
    INDICATOR = "indicator"
    BUDGET_LINE = "budget_line"


class FindingCreate(Strict):
    text: Text


class FindingRead(BaseModel):
    id: uuid.UUID
    evaluation_id: uuid.UUID
    number: int
    text: str
    version: int


class RecommendationCreate(Strict):
    text: Text
    finding_id: uuid.UUID | None = Field(default=None, description="The finding it draws on, of the same evaluation.")
    addressee_partner_id: uuid.UUID = Field(description="The partner or cantonal office that is to answer.")
    priority: Priority = Priority.MEDIUM
    response_due_date: BusinessDate | None = Field(
        default=None, description=f"When the response is due; by default {DEFAULT_RESPONSE_DAYS} days from today."
    )


class ResponseWrite(Strict):
    decision: Decision
    reasons: Text | None = Field(default=None, description="Required when the decision is `partly` or `rejected`.")


class RecommendationRead(BaseModel):
    id: uuid.UUID
    evaluation_id: uuid.UUID
    programme_id: uuid.UUID
    number: int
    finding_id: uuid.UUID | None
    text: str
    addressee_partner_id: uuid.UUID
    priority: Priority
    response_due_date: dt.date
    response_decision: Decision | None
    response_reasons: str | None
    responded_at: dt.datetime | None
    responded_by: str | None
    response_overdue: bool = Field(description="No response yet and its due date has passed (computed for today).")
    version: int


RecommendationPage = Page[RecommendationRead]


class ActionCreate(Strict):
    title: ShortText
    owner: ShortText = Field(description="Who carries it out (a person, office or organisation).")
    owner_partner_id: uuid.UUID | None = Field(default=None, description="The owner's partner id, if a partner.")
    due_date: BusinessDate
    status: ActionStatus = ActionStatus.OPEN
    target_kind: TargetKind = Field(description="What the action changes.")
    target_id: uuid.UUID = Field(
        description="The id of the measure, goal or indicator (checked), or of the budget line in the funding service."
    )


class ActionUpdate(Strict):
    title: ShortText | None = None
    owner: ShortText | None = None
    due_date: BusinessDate | None = None
    status: ActionStatus | None = None


class ActionRead(BaseModel):
    id: uuid.UUID
    recommendation_id: uuid.UUID
    title: str
    owner: str
    owner_partner_id: uuid.UUID | None
    due_date: dt.date
    status: ActionStatus
    target_kind: TargetKind
    target_id: uuid.UUID
    overdue: bool = Field(description="Not done nor dropped and the due date has passed (computed for today).")
    version: int
