"""The annual report to SEM (VIntA art. 18, domain brief §4) as the gateway composes and SEM reads it.

Amounts are CHF decimal strings and quantities decimal strings: nothing becomes a float, so the workbook, the CSV
and a submitted snapshot carry exactly the figures the services gave.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from pydantic import BaseModel, Field

from kit.money import Total

ZERO = Decimal("0.00")


class ProgrammeSummary(BaseModel):
    id: uuid.UUID
    canton: str
    title: str
    period: str
    first_year: int
    last_year: int


class IndicatorProgress(BaseModel):
    indicator_id: uuid.UUID
    code: str
    title: str
    unit: str | None = None
    target: Decimal | None = None
    actual: Decimal | None = Field(default=None, description="Confirmed values only.")
    ratio: Decimal | None = None


class GoalProgress(BaseModel):
    goal_id: uuid.UUID
    code: str | None = None
    title: str | None = None
    achievement: Decimal | None = None
    indicators: list[IndicatorProgress] = Field(default_factory=list)


class EvaluationLine(BaseModel):
    id: uuid.UUID
    kind: str
    title: str
    status: str
    planned_end: str | None = None
    actual_end: str | None = None


class KeyFigureLine(BaseModel):
    indicator_id: uuid.UUID
    code: str
    title: str
    unit: str | None = None
    dimension: str | None = None
    category: str | None = None
    value: Decimal


class FigureSet(BaseModel):
    original_plan: Total = ZERO
    plan_in_force: Total = ZERO
    committed: Total = ZERO
    disbursed: Total = ZERO
    spent: Total = ZERO


class FinanceLine(FigureSet):
    funding_area_id: uuid.UUID
    funding_area_code: str | None = None
    funding_area_name: str | None = None
    source: str


class SourceLine(FigureSet):
    source: str


class Finances(BaseModel):
    rows: list[FinanceLine] = Field(description="Per funding area and source.")
    by_source: list[SourceLine]
    totals: FigureSet


class MatchingCheck(BaseModel):
    status: str = Field(description="`met` or `not_met`, as the funding service decided.")
    federal_credit: Total
    matched_contributions: Total
    headroom: Total


class CreditState(BaseModel):
    credit_id: uuid.UUID
    body: str | None = None
    amount: Total
    used: Total
    left: Total


class Matching(BaseModel):
    planned: MatchingCheck | None = Field(default=None, description="On the plan in force.")
    actual: MatchingCheck | None = Field(default=None, description="On the spending recorded.")
    credit: CreditState | None = None


class AnnualReport(BaseModel):
    programme: ProgrammeSummary
    year: int
    composed_at: dt.datetime
    goals: list[GoalProgress] | None = Field(description="(a) Progress toward the goals by indicator.")
    evaluations: list[EvaluationLine] | None = Field(description="(b) Evaluations of the programme.")
    key_figures: list[KeyFigureLine] | None = Field(description="(c) Key figures of the measures.")
    finances: Finances | None = Field(description="The finances by funding area and source.")
    matching: Matching | None = Field(description="The matching check and the credit.")
    degraded: list[str] = Field(default_factory=list, description="Parts left out because a service did not answer.")


class SubmittedVersion(BaseModel):
    programme_id: uuid.UUID
    year: int
    number: int = Field(description="1 for the first submission, then 2, 3, …")
    sha256: str | None = None
    submitted_by: str | None = None
    submitted_at: str | None = None
    report: AnnualReport
