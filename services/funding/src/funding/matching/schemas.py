"""Wire contracts of the matching check: federal integration credit ≤ canton + communes (+ third parties)."""

from __future__ import annotations

import enum
import uuid

from pydantic import BaseModel, Field

from funding.sources import Source
from kit.money import Amount, Money


class MatchStatus(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"


class MatchRole(enum.StrEnum):
    FEDERAL_CREDIT = "federal_credit"
    MATCHED_CONTRIBUTION = "matched_contribution"


class MatchLine(BaseModel):
    year: int
    funding_area_id: uuid.UUID
    source: Source
    amount: Amount
    role: MatchRole = Field(description="Which side of the comparison the line counts on.")


class MatchSummary(BaseModel):
    status: MatchStatus
    federal_credit: Amount = Field(description="The federal integration credit (IFK).")
    matched_contributions: Amount = Field(description="Canton + communes (+ third parties where they count).")
    headroom: Money = Field(description="matched_contributions − federal_credit; negative when not met.")


class MatchCheck(MatchSummary):
    lines: list[MatchLine] = Field(
        description="The budget lines (plan in force), agreement lines (committed) or spending records behind the sums."
    )


class MatchScope(BaseModel):
    planned: MatchCheck = Field(description="On the plan in force.")
    committed: MatchCheck = Field(
        description="On what is committed: the lines of signed agreements (and what was approved or paid to "
        "terminated ones), the same commitments the credit ceiling and the financial report count."
    )
    actual: MatchCheck = Field(description="On the actual spending recorded.")
    worst: MatchStatus = Field(description="not_met when any of planned, committed or actual is not met.")


class YearMatch(MatchScope):
    year: int


class PeriodMatch(MatchScope):
    first_year: int
    last_year: int


class MatchingRead(BaseModel):
    programme_id: uuid.UUID
    worst: MatchStatus = Field(description="not_met when any level of any year shown or of the period is not met.")
    third_parties_count_toward_match: bool
    matched_sources: list[Source]
    years: list[YearMatch]
    period: PeriodMatch
