"""Wire contracts of service agreements (Leistungsvereinbarungen) and their versions."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from funding import examples
from funding.common import ILLUSTRATIVE, SOURCE_NOTE, Note, Reason, Year
from funding.sources import SOURCE_DESCRIPTION, Source
from funding.warning.schemas import FundingWarning
from kit.dates import BusinessDate
from kit.money import Amount
from kit.pagination import Page
from kit.schemas import LongText, ShortText, Strict


class AgreementStatus(enum.StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    TERMINATED = "terminated"
    CLOSED = "closed"


class AgreementLineIn(Strict):
    year: Year
    funding_area_id: uuid.UUID
    source: Source = Field(description=SOURCE_DESCRIPTION)
    amount: Amount


class AgreementTerms(Strict):
    """What one version of an agreement says."""

    title: ShortText
    start_date: BusinessDate
    end_date: BusinessDate
    measure_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100, description="The measures it funds.")
    cost_cap: Amount | None = Field(default=None, description="Optional cost cap (Kostendach) over all lines.")
    lines: list[AgreementLineIn] = Field(
        min_length=1, max_length=500, description="Amount per year, funding area and source."
    )
    text: Annotated[LongText, Field(description="The agreement's text as signed.")] | None = None


class AgreementCreate(AgreementTerms):
    programme_id: uuid.UUID
    partner_id: uuid.UUID
    reference: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    illustrative: bool = ILLUSTRATIVE
    source_note: Note | None = SOURCE_NOTE


class AgreementAmend(AgreementTerms):
    reason: Reason


class AgreementLineRead(BaseModel):
    year: int
    funding_area_id: uuid.UUID
    source: Source
    amount: Amount


class AgreementVersionRead(BaseModel):
    number: int
    title: str
    start_date: dt.date
    end_date: dt.date
    measure_ids: list[uuid.UUID]
    cost_cap: Amount | None
    text: str | None
    reason: str | None
    created_by: str
    created_at: dt.datetime
    signed_by: str | None
    signed_at: dt.datetime | None
    lines: list[AgreementLineRead]
    total: Amount


class AgreementRead(BaseModel):
    model_config = examples.examples(examples.AGREEMENT_READ)

    id: uuid.UUID
    programme_id: uuid.UUID
    canton: str
    partner_id: uuid.UUID
    reference: str | None
    status: AgreementStatus
    current_version: int = Field(description="The latest version (it may be an unsigned amendment).")
    signed_version: int | None = Field(description="The version in force; disbursements follow its lines.")
    current: AgreementVersionRead
    illustrative: bool
    source_note: str | None
    version: int = Field(description="The ETag; send it as If-Match to amend, sign, terminate or close.")
    partner_status: Literal["active", "deactivated"] | None = Field(
        default=None,
        description="In lists: the partner's status as funding last learnt it from the programme service's events "
        "(a deactivated partner takes no new agreements, signatures or disbursement requests).",
    )
    closed_measure_ids: list[uuid.UUID] | None = Field(
        default=None,
        description="In lists: the current version's measures the programme service has closed (completed or "
        "cancelled), as funding last learnt it from its events.",
    )
    warnings: list[FundingWarning] = Field(
        default_factory=list,
        description="On a write: what the rules allow but a person should look at, in the years it touched "
        "(see GET /v1/programmes/{programme_id}/warnings). Empty on reads.",
    )


AgreementPage = Page[AgreementRead]
