"""Wire contracts of the financial report."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from funding.matching.schemas import MatchCheck, MatchStatus, MatchSummary
from funding.sources import Source
from kit.money import Amount


class Figures(BaseModel):
    original_plan: Amount = Field(description="Budget lines' first revision.")
    plan_in_force: Amount = Field(description="Budget lines' latest revision.")
    committed: Amount = Field(
        description="Signed (and closed) agreements' signed lines; for terminated agreements what was approved or paid."
    )
    disbursed: Amount = Field(description="Disbursements paid.")
    spent: Amount = Field(description="Actual spending recorded.")
    illustrative: bool = Field(
        default=False,
        description="Some record behind these figures (budget line, agreement, disbursement, spending) is "
        "illustrative (seeded or estimated), not recorded.",
    )


class ReportRow(Figures):
    funding_area_id: uuid.UUID
    source: Source


class SourceTotals(Figures):
    source: Source


class AreaTotals(Figures):
    """One funding area's figures over every source."""

    funding_area_id: uuid.UUID


class CreditUse(BaseModel):
    credit_id: uuid.UUID
    body: str
    amount: Amount
    used: Amount = Field(description="Commitments against the credit over all its years and sources.")
    left: Amount


class FinancialReport(BaseModel):
    programme_id: uuid.UUID
    canton: str
    year: int | None = Field(description="The year reported, or null for the whole period.")
    first_year: int
    last_year: int
    rows: list[ReportRow] = Field(description="Per funding area and source.")
    by_area: list[AreaTotals] = Field(
        description="Per funding area over its sources (the sums of its `rows`), by funding area id; an area "
        "without any row is not listed."
    )
    by_source: list[SourceTotals]
    totals: Figures
    matching: MatchCheck = Field(description="The matching rule on the plan in force for the year or the period.")
    matching_committed: MatchCheck = Field(description="The matching rule on what is committed (agreements).")
    matching_actual: MatchCheck = Field(description="The matching rule on actual spending.")
    matching_worst: MatchStatus = Field(description="not_met when planned, committed or actual is not met.")
    credit: CreditUse | None = Field(
        description="The programme's first expenditure authorisation covering the "
        "years reported (by decision date), if any."
    )
    credits: list[CreditUse] = Field(description="Every expenditure authorisation of the programme.")


class ProgrammeTotals(BaseModel):
    programme_id: uuid.UUID
    canton: str
    first_year: int
    last_year: int
    by_source: list[SourceTotals] = Field(description="Per source that has any figure in the year, in source order.")
    totals: Figures
    matching: MatchSummary = Field(description="The matching rule on the plan in force for the year.")
    matching_committed: MatchSummary = Field(description="The matching rule on the year's commitments.")
    matching_actual: MatchSummary = Field(description="The matching rule on the year's actual spending.")
    matching_worst: MatchStatus = Field(description="not_met when planned, committed or actual is not met.")


class ProgrammeTotalsList(BaseModel):
    year: int
    items: list[ProgrammeTotals] = Field(
        description="Every programme the caller may read whose years include `year`, by canton; the same figures "
        "as each programme's financial report for the year."
    )
