"""Wire contracts of warnings: a write that the rules allow but that leaves something a person should look at."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from pydantic import BaseModel, Field

from funding.sources import Source
from kit.money import Money


class WarningType(enum.StrEnum):
    COMMITTED_MATCHING_NOT_MET = "committed-matching-not-met"
    PLAN_ABOVE_CREDIT = "plan-above-credit"
    COMMITMENT_ABOVE_PLAN = "commitment-above-plan"
    IFK_PLAN_ABOVE_ALLOCATION = "ifk-plan-above-allocation"
    SETTLEMENT_REFUND_OPEN = "settlement-refund-open"


class FundingWarning(BaseModel):
    type: WarningType = Field(
        description="committed-matching-not-met (IFK committed above the matched sources committed in a year), "
        "plan-above-credit (the plan in force of a credit's years and sources above the credit), "
        "commitment-above-plan (committed above the plan in force of a year × funding area × source), "
        "ifk-plan-above-allocation (IFK planned in a year above SEM's allocation), "
        "settlement-refund-open (SEM's current settlement decision claims a refund not yet recorded as repaid; "
        "`year` is the due date's year, `due_date` the day)."
    )
    detail: str
    year: int | None = Field(description="The year concerned; null for a credit's whole span.")
    funding_area_id: uuid.UUID | None = None
    source: Source | None = None
    credit_id: uuid.UUID | None = None
    due_date: dt.date | None = Field(default=None, description="When an open refund is due.")
    amount: Money = Field(description="The figure that is too high.")
    limit: Money = Field(description="What it should stay within.")
    over: Money = Field(description="amount − limit.")


class WarningList(BaseModel):
    programme_id: uuid.UUID
    items: list[FundingWarning]
