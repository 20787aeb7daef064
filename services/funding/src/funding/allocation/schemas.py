"""Wire contracts of the federal allocation."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, Field

from funding.common import ILLUSTRATIVE, SOURCE_NOTE, Note, Year
from kit.dates import BusinessDate
from kit.money import Amount, Money
from kit.schemas import Strict


class AllocationYear(Strict):
    year: Year
    amount: Amount = Field(description="The IFK SEM allocates the programme for this year.")


class FederalAllocationWrite(Strict):
    reference: Annotated[str, Field(min_length=1, max_length=100)] = Field(
        description="The programme agreement's reference."
    )
    agreement_date: BusinessDate = Field(description="When SEM and the canton signed the programme agreement.")
    period_amount: Amount = Field(description="The IFK for the whole period; at least the sum of the years.")
    years: list[AllocationYear] = Field(min_length=1, max_length=10)
    illustrative: bool = ILLUSTRATIVE
    source_note: Note | None = SOURCE_NOTE


class AllocationYearRead(BaseModel):
    year: int
    allocated: Amount
    committed: Amount = Field(description="IFK in the lines of signed agreements (and approved/paid on terminated).")
    paid_by_sem: Amount = Field(description="IFK payments SEM recorded for the year.")
    headroom: Money = Field(description="allocated − committed.")


class FederalAllocationRead(BaseModel):
    programme_id: uuid.UUID
    canton: str
    reference: str
    agreement_date: dt.date
    period_amount: Amount
    years: list[AllocationYearRead]
    committed: Amount
    headroom: Money = Field(description="period_amount − committed over the period.")
    recorded_by: str
    illustrative: bool
    source_note: str | None
    version: int
