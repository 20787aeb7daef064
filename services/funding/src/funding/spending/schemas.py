"""Wire contracts of actual spending and federal payments."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, Field

from funding.common import ILLUSTRATIVE, SOURCE_NOTE, Note, Year
from funding.sources import SOURCE_DESCRIPTION, Source
from kit.dates import BusinessDate
from kit.money import Amount
from kit.pagination import Page
from kit.schemas import Strict


class SpendingCreate(Strict):
    programme_id: uuid.UUID
    year: Year = Field(description="A programme year, or one of the two carry-over years after it (§3.2).")
    funding_area_id: uuid.UUID
    source: Source = Field(description=SOURCE_DESCRIPTION)
    amount: Amount
    note: Note | None = None
    illustrative: bool = ILLUSTRATIVE
    source_note: Note | None = SOURCE_NOTE


class SpendingUpdate(Strict):
    amount: Amount | None = None
    note: Note | None = None


class SpendingRead(BaseModel):
    id: uuid.UUID
    programme_id: uuid.UUID
    year: int
    funding_area_id: uuid.UUID
    source: Source
    amount: Amount
    note: str | None
    recorded_by: str
    illustrative: bool
    source_note: str | None
    version: int


class FederalPaymentCreate(Strict):
    programme_id: uuid.UUID
    year: Year
    source: Source = Field(
        description="A federal source: federal_integration_credit, federal_lump_sum, federal_status_s."
    )
    amount: Amount
    value_date: BusinessDate
    reference: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    illustrative: bool = ILLUSTRATIVE
    source_note: Note | None = SOURCE_NOTE


class FederalPaymentRead(BaseModel):
    id: uuid.UUID
    programme_id: uuid.UUID
    canton: str
    year: int
    source: Source
    amount: Amount
    value_date: dt.date
    reference: str | None
    recorded_by: str
    illustrative: bool
    source_note: str | None


SpendingPage = Page[SpendingRead]
FederalPaymentPage = Page[FederalPaymentRead]
