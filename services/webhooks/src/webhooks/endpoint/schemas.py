"""Wire contracts of webhook endpoints."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from pydantic import BaseModel, ConfigDict, Field

from kit.event_feed import TYPE_PATTERN
from kit.pagination import Page

EventType = str


class WebhookOwnerRole(enum.StrEnum):
    SEM = "sem"
    CANTON = "canton"
    PARTNER = "partner"


class WebhookEndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000, description="Where to POST the events: https, on a public address.")
    event_types: list[str] = Field(
        min_length=1,
        max_length=200,
        description="Event types to receive (see `/asyncapi.json`), e.g. `funding.disbursement.approved`.",
        json_schema_extra={"items": {"pattern": TYPE_PATTERN, "maxLength": 100}},
    )
    programme_id: uuid.UUID | None = Field(default=None, description="Only events about this programme.")
    description: str | None = Field(default=None, max_length=200)


class WebhookEndpointUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=2000)
    event_types: list[str] | None = Field(default=None, min_length=1, max_length=200)
    programme_id: uuid.UUID | None = None
    description: str | None = Field(default=None, max_length=200)
    enabled: bool | None = Field(
        default=None, description="`true` re-enables a disabled endpoint (its pending deliveries resume)."
    )


class WebhookEndpointRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    url: str
    description: str | None
    event_types: list[str]
    programme_id: uuid.UUID | None
    owner_role: WebhookOwnerRole
    owner_canton: str | None
    owner_partner_id: uuid.UUID | None
    enabled: bool
    disabled_reason: str | None
    disabled_at: dt.datetime | None
    previous_secret_expires_at: dt.datetime | None = Field(
        description="Until then deliveries are signed with the previous secret as well (after a rotation)."
    )
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class WebhookEndpointCreated(WebhookEndpointRead):
    secret: str = Field(description="The signing secret (`whsec_…`). Shown only now: store it.")


class WebhookEndpointPage(Page[WebhookEndpointRead]):
    pass


class WebhookSecretRotation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    overlap_hours: float = Field(
        default=24, ge=0, le=168, description="How long deliveries are signed with the old secret as well."
    )


class WebhookSecretRead(BaseModel):
    secret: str = Field(description="The new signing secret (`whsec_…`). Shown only now: store it.")
    previous_secret_expires_at: dt.datetime | None
