"""Wire contracts of SEM's settlement decisions, the canton's acknowledgement and the repayment."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, Field

from funding.common import Note
from funding.settlement.schemas import Settlement
from kit.dates import BusinessDate
from kit.money import Amount
from kit.schemas import Strict


class SettlementDecisionWrite(Strict):
    as_of: BusinessDate | None = Field(
        default=None, description="The day the proposal is computed as of; default today."
    )
    carry_over_amount: Amount = Field(description="Federal money the canton may still use within two years.")
    refund_amount: Amount = Field(description="What the canton must pay back to the Confederation (CHF, ≥ 0).")
    due_date: BusinessDate | None = Field(default=None, description="When the refund is due; required with a refund.")
    reasons: Annotated[str, Field(min_length=1, max_length=4000)] = Field(description="Why SEM decides so.")


class AcknowledgementWrite(Strict):
    note: Note | None = None


class RepaymentWrite(Strict):
    repaid_on: BusinessDate = Field(description="The day the Confederation received the refund.")
    note: Note | None = None


class DecisionEvent(BaseModel):
    recorded_by: str
    recorded_at: dt.datetime
    on_date: dt.date | None = None
    note: str | None = None


class SettlementDecisionRead(BaseModel):
    id: uuid.UUID
    programme_id: uuid.UUID
    canton: str
    number: int = Field(description="The decision's version: a new decision is the next number, none is changed.")
    carry_over_amount: Amount
    refund_amount: Amount
    due_date: dt.date | None
    reasons: str
    proposal: Settlement = Field(description="The computed settlement the decision was based on.")
    decided_by: str
    decided_at: dt.datetime
    superseded: bool = Field(description="A later decision replaces this one.")
    acknowledgement: DecisionEvent | None = Field(description="The canton's acknowledgement, once given.")
    repayment: DecisionEvent | None = Field(description="SEM's record that the refund was repaid.")
    refund_open: bool = Field(description="Current decision with a refund not yet recorded as repaid.")


class SettlementDecisionList(BaseModel):
    programme_id: uuid.UUID
    items: list[SettlementDecisionRead]
