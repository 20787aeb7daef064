"""A registered receiver of webhooks: its URL, the event types it wants, its owner and its signing secrets."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import JSON, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import IdMixin, TimestampMixin, UtcDateTime, VersionedMixin
from webhooks.database import Base


class WebhookEndpoint(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "webhook_endpoint"
    #: Signing secrets never reach the audit trail (it is readable by auditors; a secret is shown once).
    __audit_redacted__: ClassVar[frozenset[str]] = frozenset({"secret", "previous_secret"})

    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str | None] = mapped_column(String(200))
    event_types: Mapped[list[Any]] = mapped_column(JSON)
    programme_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # The owner: `sem`, `canton` (with `owner_canton`) or `partner` (with `owner_partner_id`).
    owner_role: Mapped[str] = mapped_column(String(10), index=True)
    owner_canton: Mapped[str | None] = mapped_column(String(2), index=True)
    owner_partner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # The first failed attempt since the last successful one (none while the receiver answers).
    failing_since: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    secret: Mapped[str] = mapped_column(String(100))
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
