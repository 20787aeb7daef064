"""Wire contracts of programmes and their funding areas."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated

from pydantic import BaseModel, Field, StrictBool

from kit.auth import CANTONS
from kit.dates import BusinessDate
from kit.pagination import Page
from kit.schemas import ShortText, Strict
from programme.funding_area.schemas import FundingAreaRead

Canton = enum.StrEnum("Canton", {c: c for c in CANTONS})  # type: ignore[misc]


class ProgrammeStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    AGREED = "agreed"
    CLOSED = "closed"


#: Allowed status changes: a draft is submitted to SEM, returned or agreed, and closed at the period's end.
TRANSITIONS: dict[ProgrammeStatus, set[ProgrammeStatus]] = {
    ProgrammeStatus.DRAFT: {ProgrammeStatus.SUBMITTED},
    ProgrammeStatus.SUBMITTED: {ProgrammeStatus.DRAFT, ProgrammeStatus.AGREED},
    ProgrammeStatus.AGREED: {ProgrammeStatus.CLOSED},
    ProgrammeStatus.CLOSED: set(),
}


class WorkingLanguage(enum.StrEnum):
    """A canton's working language: the official language its integration office writes in."""

    DE = "de"
    FR = "fr"
    IT = "it"


#: The working language of cantons whose administration writes French or Italian; every other canton German.
#: (Bilingual Fribourg and Valais are set to their majority's language; a canton changes it with `PATCH`.)
CANTON_LANGUAGES: dict[str, WorkingLanguage] = {
    **{c: WorkingLanguage.FR for c in ("GE", "VD", "NE", "JU", "FR", "VS")},
    "TI": WorkingLanguage.IT,
}


def default_working_language(canton: str) -> WorkingLanguage:
    return CANTON_LANGUAGES.get(canton, WorkingLanguage.DE)


WORKING_LANGUAGE = (
    "The canton's working language: the programme's exports (annual report, budget grid, goal grid) are written "
    "in it when the reader sends no `Accept-Language`."
)

AgreementRef = Annotated[str, Field(min_length=1, max_length=100)]
Note = Annotated[str, Field(max_length=2000)]


class ProgrammeCreate(Strict):
    canton: Canton = Field(description="One of the 26 canton codes.", examples=["BL"])
    period: Annotated[str, Field(min_length=1, max_length=20, examples=["KIP3"], description="The period's code.")]
    title: ShortText = Field(examples=["Kantonales Integrationsprogramm Basel-Landschaft 2024–2027"])
    agreement_reference: AgreementRef | None = None
    agreement_date: BusinessDate | None = None
    note: Note | None = None
    working_language: WorkingLanguage | None = Field(
        default=None, description=WORKING_LANGUAGE + " Default: the canton's official language (BL: `de`)."
    )


class ProgrammeUpdate(Strict):
    title: ShortText | None = None
    status: ProgrammeStatus | None = Field(
        default=None, description="draft → submitted → agreed → closed; a submitted programme may return to draft."
    )
    agreement_reference: AgreementRef | None = None
    agreement_date: BusinessDate | None = None
    note: Note | None = None
    working_language: WorkingLanguage | None = Field(default=None, description=WORKING_LANGUAGE)


class PeriodRef(BaseModel):
    id: uuid.UUID
    code: str
    first_year: int
    last_year: int


class ProgrammeRead(BaseModel):
    id: uuid.UUID
    canton: str
    period: PeriodRef
    title: str
    status: ProgrammeStatus
    agreement_reference: str | None
    agreement_date: dt.date | None
    note: str | None
    working_language: WorkingLanguage = Field(description=WORKING_LANGUAGE)
    version: int


ProgrammePage = Page[ProgrammeRead]


class ProgrammeAreaRead(BaseModel):
    """A funding area of the programme's period, with the canton's priority mark."""

    programme_id: uuid.UUID
    funding_area: FundingAreaRead
    is_priority: bool
    version: int


class ProgrammeAreaUpdate(Strict):
    is_priority: StrictBool
