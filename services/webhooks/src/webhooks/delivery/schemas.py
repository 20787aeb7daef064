"""Wire contracts of deliveries and their attempts (the delivery log)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from pydantic import BaseModel, ConfigDict

from kit.pagination import Page


class WebhookDeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookAttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempted_at: dt.datetime
    status_code: int | None
    error: str | None
    body_excerpt: str | None
    duration_ms: int


class WebhookDeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: str
    event_type: str
    subject: str
    status: WebhookDeliveryStatus
    attempts: int
    next_attempt_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    last_status_code: int | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime


class WebhookDeliveryDetail(WebhookDeliveryRead):
    attempt_log: list[WebhookAttemptRead]


class WebhookDeliveryPage(Page[WebhookDeliveryRead]):
    pass
