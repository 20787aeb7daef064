"""Wire contracts of expenditure authorisations (credits)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Self

from pydantic import BaseModel, Field, StrictInt, model_validator

from funding.common import ILLUSTRATIVE, SOURCE_NOTE, Note, Year
from funding.sources import Source
from kit.dates import BusinessDate
from kit.i18n import Msg
from kit.money import Amount
from kit.pagination import Page
from kit.schemas import ShortText, Strict

Votes = Annotated[StrictInt, Field(ge=0, le=100_000)]
Reference = Annotated[str, Field(min_length=1, max_length=100)]


class CreditCreate(Strict):
    programme_id: uuid.UUID
    body: ShortText = Field(description="The body that decided, e.g. the Landrat.", examples=["Landrat"])
    decision_date: BusinessDate
    reference: Reference | None = Field(default=None, description="The decision's reference (e.g. Landratsvorlage).")
    votes_for: Votes | None = None
    votes_against: Votes | None = None
    amount: Amount = Field(description="The authorised amount.")
    first_year: Year
    last_year: Year
    sources: list[Source] = Field(min_length=1, max_length=len(Source), description="The funding sources it covers.")
    note: Note | None = None
    illustrative: bool = ILLUSTRATIVE
    source_note: Note | None = SOURCE_NOTE

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.last_year < self.first_year:
            raise ValueError(Msg("last_year must not precede first_year"))
        if len(set(self.sources)) != len(self.sources):
            raise ValueError(Msg("sources must not repeat"))
        return self


class CreditUpdate(Strict):
    body: ShortText | None = None
    decision_date: BusinessDate | None = None
    reference: Reference | None = None
    votes_for: Votes | None = None
    votes_against: Votes | None = None
    amount: Amount | None = Field(default=None, description="May not drop below what is committed against it.")
    note: Note | None = None


class CreditRead(BaseModel):
    id: uuid.UUID
    programme_id: uuid.UUID
    canton: str
    body: str
    decision_date: dt.date
    reference: str | None
    votes_for: int | None
    votes_against: int | None
    amount: Amount
    first_year: int
    last_year: int
    sources: list[Source]
    used: Amount = Field(description="Commitments against the credit (see the API description).")
    left: Amount = Field(description="amount − used, never below 0.")
    note: str | None
    illustrative: bool
    source_note: str | None
    version: int


CreditPage = Page[CreditRead]
