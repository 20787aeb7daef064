"""Deliveries (one per event and endpoint), their attempts, and how far each event feed has been read."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import IdMixin, UtcDateTime, utcnow
from webhooks.database import Base

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class WebhookDelivery(IdMixin, Base):
    """An event to send to one endpoint. Pending until a 2xx answer (`delivered`) or until every attempt of the
    retry schedule failed (`failed`). Events of one subject go to one endpoint in feed order."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_subject", "endpoint_id", "subject", "status"),
    )

    endpoint_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("webhook_endpoint.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    first_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class WebhookAttempt(IdMixin, Base):
    """One try to send a delivery: when, what came back (status, the start of the body), how long it took."""

    __tablename__ = "webhook_attempt"

    delivery_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True
    )
    attempted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(200))
    body_excerpt: Mapped[str | None] = mapped_column(String(200))
    duration_ms: Mapped[int] = mapped_column(Integer)


class FeedCursor(Base):
    """The last position of a source's event feed whose deliveries exist (moved in their transaction)."""

    __tablename__ = "feed_cursor"

    source: Mapped[str] = mapped_column(String(30), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)
