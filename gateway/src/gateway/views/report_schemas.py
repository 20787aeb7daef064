"""The annual report to SEM (VIntA art. 18, domain brief §4) as the gateway composes and SEM reads it.

Amounts are CHF decimal strings and quantities decimal strings: nothing becomes a float, so the workbook, the CSV
and a submitted snapshot carry exactly the figures the services gave.

One rule for time (`TIME_RULE`): every figure says the year it belongs to (`year`) or the years it adds up
(`years`), and the report when its figures were read (`as_of`). Every figure from the services says whether it
is `illustrative` (seeded or estimated) or recorded.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from gateway.clients.evaluation import EvaluationLine
from gateway.views.report_sections import Coordination, FinancialSupervision
from kit.money import Total

__all__ = ["Coordination", "EvaluationLine", "FinancialSupervision"]

ZERO = Decimal("0.00")


class ProgrammeSummary(BaseModel):
    id: uuid.UUID
    canton: str
    title: str
    period: str
    first_year: int
    last_year: int
    working_language: str | None = Field(
        default=None, description="The canton's working language: the files' language without `Accept-Language`."
    )


TIME_RULE = (
    "Goals: `target` and `value` are those of the report year alone (`year`); `value` is null and `missing` true "
    "where the year has no confirmed value (`value_status` says `reported` or `missing`); `to_date` adds up the "
    "confirmed years named in `to_date.years` by the indicator's aggregation, and `ratio` is computed from "
    "`to_date` only. Key figures and finances: the report year alone (`year`). Evaluations: their state as of "
    "`as_of`. `as_of`: when the figures were read from the services."
)


class ToDate(BaseModel):
    years: list[int] = Field(description="The years with a target and a confirmed value that the figures add up.")
    target: Decimal | None = None
    value: Decimal | None = None


class IndicatorProgress(BaseModel):
    indicator_id: uuid.UUID
    code: str
    title: str
    unit: str | None = None
    aggregation: str | None = Field(default=None, description="`sum`, `mean` or `latest` over the years to date.")
    year: int = Field(description="The year `target` and `value` belong to.")
    target: Decimal | None = Field(default=None, description="The target of `year`.")
    value: Decimal | None = Field(default=None, description="The confirmed value of `year`; null when missing.")
    value_status: str = Field(description="`confirmed`, `reported` (not confirmed) or `missing` for `year`.")
    missing: bool = Field(description="`year` has no confirmed value.")
    to_date: ToDate
    ratio: Decimal | None = Field(default=None, description="Achievement ratio of `to_date` (value against target).")
    illustrative: bool = Field(description="The indicator, its target or its value is illustrative (seeded).")


class GoalProgress(BaseModel):
    goal_id: uuid.UUID
    code: str | None = None
    title: str | None = None
    achievement: Decimal | None = Field(default=None, description="Mean of the indicators' ratios, capped at 1.")
    indicators: list[IndicatorProgress] = Field(default_factory=list)


class KeyFigureLine(BaseModel):
    indicator_id: uuid.UUID
    code: str
    title: str
    unit: str | None = None
    dimension: str | None = None
    category: str | None = None
    year: int = Field(description="The year of the value.")
    value: Decimal
    source: str | None = None
    illustrative: bool = False


class FigureSet(BaseModel):
    original_plan: Total = ZERO
    plan_in_force: Total = ZERO
    committed: Total = ZERO
    disbursed: Total = ZERO
    spent: Total = ZERO


class MarkedFigures(FigureSet):
    """Figures as the funding service gives them, with their provenance."""

    illustrative: bool = Field(
        default=False,
        description="Some record behind these figures (budget line, agreement, disbursement, spending) is "
        "illustrative (seeded or estimated).",
    )


class FinanceLine(MarkedFigures):
    funding_area_id: uuid.UUID
    funding_area_code: str | None = None
    funding_area_name: str | None = None
    source: str


class SourceLine(MarkedFigures):
    source: str


class Finances(BaseModel):
    year: int | None = Field(default=None, description="The year the figures belong to.")
    rows: list[FinanceLine] = Field(description="Per funding area and source.")
    by_source: list[SourceLine]
    totals: MarkedFigures


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
    levels: dict[str, Any] | None = Field(
        default=None, description="Planned, committed and actual matching levels, as the funding service gives them."
    )


class AnnualReport(BaseModel):
    programme: ProgrammeSummary
    year: int = Field(description="The report year: 1 January to 31 December.")
    as_of: dt.datetime | None = Field(default=None, description="When the figures were read from the services.")
    time_rule: str = Field(default=TIME_RULE, description="What period each section's figures cover.")
    composed_at: dt.datetime
    goals: list[GoalProgress] | None = Field(description="(a) Progress toward the goals by indicator.")
    evaluations: list[EvaluationLine] | None = Field(
        description="(b) Evaluations: status, findings, recommendations with the management response and actions."
    )
    key_figures: list[KeyFigureLine] | None = Field(description="(c) Key figures of the measures.")
    finances: Finances | None = Field(description="The finances by funding area and source.")
    matching: Matching | None = Field(description="The matching check and the credit.")
    coordination: Coordination | None = Field(
        default=None, description="(d) Coordination and cooperation among the actors, overall and per funding area."
    )
    financial_supervision: FinancialSupervision | None = Field(
        default=None, description="The canton's financial supervision: approach and checks of the year."
    )
    missing: list[str] = Field(
        default_factory=list,
        description="Sections with nothing for the year: no key figure confirmed, no evaluation, no text written.",
    )
    degraded: list[str] = Field(default_factory=list, description="Parts left out because a service did not answer.")


class SubmittedVersion(BaseModel):
    programme_id: uuid.UUID
    year: int
    number: int = Field(description="1 for the first submission, then 2, 3, …")
    sha256: str | None = None
    submitted_by: str | None = None
    submitted_at: str | None = None
    report: AnnualReport
