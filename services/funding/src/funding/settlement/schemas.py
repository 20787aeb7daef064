"""Wire contracts of a period's settlement of federal money (domain brief §3.2)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal

from pydantic import BaseModel, Field

from funding.sources import Source
from kit.money import Amount


class SettlementStage(enum.StrEnum):
    RUNNING = "running"
    CARRY_OVER = "carry_over"
    FINAL = "final"


class SourceSettlement(BaseModel):
    source: Source
    received: Amount = Field(description="Federal payments recorded by SEM for the programme.")
    spent_in_period: Amount = Field(description="Actual spending of this source in the period's years.")
    unspent_at_period_end: Amount = Field(description="received − spent_in_period, never below 0.")
    unmatched: Amount = Field(
        description="IFK spent beyond what canton and communes matched over the period; "
        "the IFK is paid only when matched, so this is reclaimed. 0 for other sources."
    )
    spent_in_carry_over: Amount = Field(description="Spending recorded for the two years after the period.")
    usable_within_two_years: Amount = Field(
        description="Unspent money that may still be used for the same "
        "purpose until `carry_over_until` (only when the goals were met)."
    )
    to_refund: Amount = Field(description="What must go back to the Confederation as things stand.")


class SettlementTotals(BaseModel):
    received: Amount
    unspent_at_period_end: Amount
    usable_within_two_years: Amount
    to_refund: Amount


class GoalBasis(BaseModel):
    goal_id: uuid.UUID
    kind: str = Field(description="`programme_goal` or `national_goal`, as the evaluation service names it.")
    code: str | None = None
    achievement: Decimal | None = Field(description="The evaluation service's achievement (0–1), null without figures.")
    met: bool


class GoalsBasis(BaseModel):
    source: str = Field(description="Where `goals_met` comes from: the evaluation service's goal achievement.")
    year: int = Field(description="The year read: the period's last year (confirmed values of every year to date).")
    rule: str
    goals: list[GoalBasis]


class Settlement(BaseModel):
    programme_id: uuid.UUID
    first_year: int
    last_year: int
    as_of: dt.date
    goals_met: bool = Field(description="Computed from the evaluation service's goal achievement (`goals`).")
    goals: GoalsBasis
    stage: SettlementStage = Field(
        description="running (period not over), carry_over (within the two years after it), final (after them)."
    )
    carry_over_until: dt.date
    sources: list[SourceSettlement]
    totals: SettlementTotals
    rule: str
