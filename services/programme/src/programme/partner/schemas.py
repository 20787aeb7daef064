"""Wire contracts of partner organisations."""

from __future__ import annotations

import enum
import uuid
from typing import Annotated

from pydantic import AfterValidator, BaseModel, EmailStr, Field
from stdnum.ch import uid as swiss_uid
from stdnum.exceptions import ValidationError as StdnumError

from kit.i18n import Msg
from kit.pagination import Page
from kit.schemas import ShortText, Strict
from programme.programme.schemas import Canton


class PartnerStatus(enum.StrEnum):
    """Whether the canton still works with the organisation; a deactivated one takes no new commitments."""

    ACTIVE = "active"
    DEACTIVATED = "deactivated"


class PartnerKind(enum.StrEnum):
    ASSOCIATION = "association"
    COMMUNE = "commune"
    CANTONAL_OFFICE = "cantonal_office"
    PRIVATE_COMPANY = "private_company"
    FOUNDATION = "foundation"


def _valid_uid(value: str) -> str:
    """The Swiss enterprise identification number, `CHE-nnn.nnn.nnn`, with its mod-11 check digit."""
    try:
        return str(swiss_uid.format(swiss_uid.validate(value)))
    except StdnumError as exc:
        raise ValueError(
            Msg("{value} is not a valid Swiss UID (CHE-nnn.nnn.nnn with a correct check digit)", value=repr(value))
        ) from exc


Uid = Annotated[
    str,
    Field(pattern=r"^CHE-?\d{3}\.?\d{3}\.?\d{3}$", examples=["CHE-109.322.551"]),
    AfterValidator(_valid_uid),
]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$", examples=["ald"])]
Phone = Annotated[str, Field(pattern=r"^\+?[0-9 ()./-]{6,30}$", examples=["+41 61 000 00 00"])]
PostalCode = Annotated[str, Field(pattern=r"^\d{4}$", examples=["4410"])]


class PartnerFields(Strict):
    name: ShortText | None = None
    short_name: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    kind: PartnerKind | None = None
    uid: Uid | None = None
    street: Annotated[str, Field(max_length=200)] | None = None
    postal_code: PostalCode | None = None
    town: Annotated[str, Field(max_length=100)] | None = None
    contact_name: Annotated[str, Field(max_length=200)] | None = None
    contact_email: EmailStr | None = None
    contact_phone: Phone | None = None
    website: Annotated[str, Field(max_length=300, pattern=r"^https?://")] | None = None


class PartnerCreate(PartnerFields):
    canton: Canton = Field(description="The canton that works with this organisation.")
    slug: Slug = Field(description="A short unique key, used in tokens of the embedded default (`--partner ald`).")
    name: ShortText
    short_name: Annotated[str, Field(min_length=1, max_length=60)]
    kind: PartnerKind


class PartnerUpdate(PartnerFields):
    status: PartnerStatus | None = Field(
        default=None,
        description="`deactivated`: the canton works with it no more; funding and evaluation refuse new commitments "
        "for it (agreements, signatures, disbursement requests, reported values). A partner is registered active.",
    )


class PartnerRead(BaseModel):
    id: uuid.UUID
    canton: str
    slug: str
    name: str
    short_name: str
    kind: PartnerKind
    uid: str | None
    street: str | None
    postal_code: str | None
    town: str | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    website: str | None
    status: PartnerStatus
    illustrative: bool = Field(description="True where the record's values are only illustrative.")
    source: str | None = Field(description="Where the record's facts come from.")
    version: int


PartnerPage = Page[PartnerRead]
