"""Wire contracts of the budget grid: the grid as JSON, the whole plan put back, and the change report."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from funding.common import Reason, Year
from funding.sources import SOURCE_DESCRIPTION, Source
from kit.money import Amount, Total
from kit.schemas import Strict


class GridLine(BaseModel):
    year: int
    funding_area_id: uuid.UUID
    funding_area: str = Field(description="The funding area's German name (the default working language).")
    source: Source
    budget_line_id: uuid.UUID | None = Field(description="None where nothing is planned yet.")
    original: Amount | None = Field(description="The first revision's amount.")
    in_force: Amount | None = Field(description="The plan in force.")


class GridYearMatch(BaseModel):
    year: int
    federal_integration_credit: Total
    matching_contributions: Total = Field(description="Canton + communes (+ third parties where they count).")
    fulfilled: bool


class GridCredit(BaseModel):
    credit_id: uuid.UUID
    body: str
    reference: str | None
    amount: Amount
    first_year: int
    last_year: int
    sources: list[Source]
    planned: Total = Field(description="The plan in force for the credit's years and sources.")
    headroom: Total = Field(description="Amount minus planned; negative when the plan exceeds the credit.")


class GridRead(BaseModel):
    programme_id: uuid.UUID
    version: str = Field(description="The plan's fingerprint; send it as `If-Match` to put the grid back.")
    first_year: int
    last_year: int
    lines: list[GridLine]
    matching: list[GridYearMatch]
    credits: list[GridCredit]


class GridLineWrite(Strict):
    year: Year
    funding_area_id: uuid.UUID
    source: Source = Field(description=SOURCE_DESCRIPTION)
    amount: Amount = Field(description="The plan in force from now on.")


class GridWrite(Strict):
    reason: Reason
    lines: list[GridLineWrite] = Field(
        max_length=5000, description="The amounts to plan; lines not named stay as they are."
    )


class CellChange(BaseModel):
    cell: str = Field(description="Where: `Budget!E7` for a workbook, `lines[3]` for JSON.")
    year: int
    funding_area_id: uuid.UUID
    funding_area: str
    source: Source
    old: Amount | None = Field(description="None where nothing was planned yet: the change plans a new line.")
    new: Amount


class CellError(BaseModel):
    cell: str
    message: str


class ChangeReport(BaseModel):
    programme_id: uuid.UUID
    version: str = Field(description="The plan's fingerprint the report was made against (after apply: the new one).")
    applied: bool
    changes: list[CellChange]
    warnings: list[str] = Field(description="What the money rules say about the plan with these changes.")
