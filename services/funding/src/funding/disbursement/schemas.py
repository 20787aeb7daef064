"""Wire contracts of disbursements."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated

from fastapi import Header
from pydantic import BaseModel, Field

from funding import examples
from funding.common import Note, Reason, Year
from funding.sources import SOURCE_DESCRIPTION, Source
from kit.dates import BusinessDate
from kit.money import Amount, Total
from kit.pagination import Page
from kit.schemas import Strict


class DisbursementStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"


IdempotencyKeyHeader = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Required. A key the client chooses per intended disbursement (e.g. a UUID). A retry with the "
        "same key and body answers the disbursement made the first time (200); the same key with another body is "
        "refused (422 `funding/idempotency-key-reused`). Keys are scoped to the caller (token subject).",
    ),
]


class DisbursementCreate(Strict):
    agreement_id: uuid.UUID
    year: Year = Field(description="The agreement year the money is for.")
    funding_area_id: uuid.UUID | None = Field(
        default=None,
        description="With `source`: the agreement line to draw on. Omit both and the canton's approval allocates the "
        "amount to the year's lines.",
    )
    source: Source | None = Field(default=None, description=SOURCE_DESCRIPTION)
    amount: Amount
    value_date: BusinessDate = Field(description="When the money is to be paid.")
    note: Note | None = None


class LinePart(Strict):
    funding_area_id: uuid.UUID
    source: Source = Field(description=SOURCE_DESCRIPTION)
    amount: Amount


class DisbursementApprove(Strict):
    lines: list[LinePart] | None = Field(
        default=None,
        max_length=50,
        description="How the amount goes onto the agreement's lines of the year; they must add up to the amount. "
        "Omitted: as the request named it, or else in proportion to what is left on each line (largest remainder, "
        "to the Rappen).",
    )


class DisbursementLineRead(BaseModel):
    funding_area_id: uuid.UUID
    source: Source
    amount: Amount


class DisbursementReject(Strict):
    reason: Reason


class DisbursementPay(Strict):
    value_date: BusinessDate | None = Field(default=None, description="The actual value date, if not the planned one.")


class DisbursementRead(BaseModel):
    model_config = examples.examples(examples.DISBURSEMENT_READ)

    id: uuid.UUID
    agreement_id: uuid.UUID
    programme_id: uuid.UUID
    canton: str
    partner_id: uuid.UUID
    year: int
    funding_area_id: uuid.UUID | None = Field(description="The line the request named, if it named one.")
    source: Source | None
    amount: Amount
    lines: list[DisbursementLineRead] = Field(
        description="The amount on each agreement line (empty while a request that named no line awaits approval)."
    )
    value_date: dt.date
    status: DisbursementStatus
    note: str | None
    requested_by: str
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    rejection_reason: str | None
    paid_by: str | None
    paid_at: dt.datetime | None
    illustrative: bool
    source_note: str | None
    version: int


DisbursementPage = Page[DisbursementRead]


class DisbursementTotal(BaseModel):
    """The disbursements of one agreement in one status, counted and summed."""

    agreement_id: uuid.UUID
    partner_id: uuid.UUID
    status: DisbursementStatus
    count: int = Field(ge=1)
    amount: Total = Field(description="Their sum (a computed figure: not held to the CHF 10^13 limit of one amount).")


class DisbursementTotals(BaseModel):
    items: list[DisbursementTotal] = Field(
        description="One row per agreement and status that has disbursements, ordered by agreement and status; a "
        "status without disbursements has no row."
    )
