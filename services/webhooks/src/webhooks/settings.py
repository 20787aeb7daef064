"""Webhooks service settings (`WEBHOOKS_*`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings

#: Seconds between a failed attempt and the next: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (eight attempts over
#: about 27.6 hours), each stretched or shortened at random by up to `retry_jitter` so receivers that come back are
#: not hit by every sender at once.
RETRY_SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)


class WebhooksSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WEBHOOKS_", extra="ignore")

    database_url: str = "sqlite:///var/webhooks.db"
    # The services whose event feeds are read (the sources of events).
    programme_url: str = "http://127.0.0.1:8001"
    funding_url: str = "http://127.0.0.1:8002"
    evaluation_url: str = "http://127.0.0.1:8003"

    # Receivers on private, loopback or link-local addresses, and plain http: for development and tests only.
    allow_private_urls: bool = False
    # Whether this process reads the feeds and sends deliveries (every replica may; they share the work).
    dispatch: bool = True
    feed_wait: float = Field(default=20.0, ge=0, le=30)
    feed_batch: int = Field(default=100, ge=1, le=500)
    feed_timeout: float = Field(default=10.0, gt=0)
    # Retries: the schedule (seconds), a factor applied to it (tests shrink hours to moments), and the jitter.
    retry_schedule: list[float] = Field(default_factory=lambda: list(RETRY_SCHEDULE), min_length=1)
    retry_scale: float = Field(default=1.0, gt=0)
    retry_jitter: float = Field(default=0.2, ge=0, lt=1)
    # One delivery attempt: the whole exchange, and the most of the receiver's answer that is read.
    send_timeout: float = Field(default=10.0, gt=0)
    send_connect_timeout: float = Field(default=5.0, gt=0)
    max_response_bytes: int = Field(default=4096, ge=0)
    send_concurrency: int = Field(default=8, ge=1)
    # A claimed delivery is held this long by the replica that sends it; after a crash another takes it then.
    claim_seconds: float = Field(default=60.0, gt=0)
    idle_seconds: float = Field(default=1.0, gt=0)
    # With KIP_EVENTS_NATS_URL set: the JetStream durable consumer the replicas share.
    nats_durable: str = "kip-webhooks"
    # How long the event catalogue read from the services' /asyncapi.json is trusted.
    catalogue_seconds: float = Field(default=300.0, ge=0)

    def sources(self) -> dict[str, str]:
        return {"programme": self.programme_url, "funding": self.funding_url, "evaluation": self.evaluation_url}
