"""Gateway settings (`GATEWAY_*`): where each service lives and how long the gateway waits for it.

Every wait is explicit: a per-upstream timeout for one call, and a per-view timeout for a composed view, so no
caller waits longer than the view's budget whatever the services do.
"""

from __future__ import annotations

from typing import Annotated, Literal

from limits import parse
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: The services behind the gateway, in the order their docs appear.
SERVICES = ("programme", "funding", "evaluation", "webhooks")
#: The services that serve an event feed (`/v1/events`, `/asyncapi.json`); the gateway merges theirs.
EVENT_SOURCES = ("programme", "funding", "evaluation")


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    programme_url: str = "http://127.0.0.1:8001"
    funding_url: str = "http://127.0.0.1:8002"
    evaluation_url: str = "http://127.0.0.1:8003"
    webhooks_url: str = "http://127.0.0.1:8004"

    # One call to one service (seconds): the whole call, and the connect phase of it.
    programme_timeout: float = Field(default=5.0, gt=0)
    funding_timeout: float = Field(default=5.0, gt=0)
    evaluation_timeout: float = Field(default=5.0, gt=0)
    webhooks_timeout: float = Field(default=5.0, gt=0)
    connect_timeout: float = Field(default=2.0, gt=0)
    max_connections: int = Field(default=100, ge=1)
    max_keepalive_connections: int = Field(default=20, ge=0)
    # An idle pooled connection is dropped after this many seconds: shorter than the services' keep-alive
    # (uvicorn closes idle connections after 5 s), so the gateway never reuses one the service is closing.
    keepalive_expiry: float = Field(default=2.0, gt=0)

    # Admission (see `gateway.admission`): API requests in progress at once, and how long one may wait to start.
    max_in_flight: int = Field(default=8, ge=1)
    admission_timeout: float = Field(default=30.0, gt=0)
    # A request gives its slot back once its answer is in the server's hands whole, or once handing a part of a
    # streamed answer waits this long for the client to read; a part that waits `send_timeout` cuts the answer.
    admission_send_hold: float = Field(default=1.0, gt=0)
    send_timeout: float = Field(default=30.0, gt=0)
    # The door (see `gateway.door`): request bodies one caller (token subject), and the gateway, receive at once.
    max_uploads_per_caller: int = Field(default=4, ge=1)
    max_uploads: int = Field(default=64, ge=1)
    # Every service answer the gateway reads: at most this many bytes (else 502), all of it within the call's timeout.
    max_upstream_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1)

    # A whole composed view (seconds): no view waits longer than this.
    canton_view_timeout: float = Field(default=8.0, gt=0)
    sem_overview_timeout: float = Field(default=10.0, gt=0)
    annual_report_timeout: float = Field(default=10.0, gt=0)
    submit_timeout: float = Field(default=15.0, gt=0)
    partner_view_timeout: float = Field(default=8.0, gt=0)

    # How long the merged OpenAPI document waits for one service's document, and whether the services'
    # documents are read right at startup (in the background) or only when `/openapi.json` is first asked for.
    docs_fetch_timeout: float = Field(default=3.0, gt=0)
    docs_prefetch: bool = True

    # Browsers' web apps allowed to call the API (CORS), comma-separated origins; none by default.
    cors_origins: Annotated[list[str], NoDecode] = []
    # Answers at least this large (bytes) are gzip-compressed for callers that accept it.
    gzip_minimum_size: int = Field(default=1000, ge=0)
    # Requests per caller (token subject, else client address), e.g. `6000/minute`; shared through Redis when set.
    rate_limit: str = "6000/minute"
    rate_limit_redis_url: str | None = None
    rate_limit_redis_prefix: str = "kip-gateway"
    # The views' part cache (`gateway.cache`): `off` fetches every part in full; its memory bound in bytes.
    view_cache: Literal["on", "off"] = "on"
    view_cache_max_bytes: int = Field(default=64 * 1024 * 1024, ge=1)
    # How long a kept part is used without asking its service while the event follower is healthy (seconds; 0:
    # always ask), and where the follower reads events: `auto` is NATS when `KIP_EVENTS_NATS_URL` is set, else the
    # services' feeds (long-polled `GATEWAY_VIEW_CACHE_FEED_WAIT` seconds at a time); `off` trusts nothing.
    view_cache_trust_seconds: float = Field(default=1.0, ge=0)
    view_cache_events: Literal["auto", "feed", "nats", "off"] = "auto"
    view_cache_feed_wait: float = Field(default=10.0, gt=0, le=30)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        return [o.strip() for o in value.split(",") if o.strip()] if isinstance(value, str) else value

    @field_validator("rate_limit")
    @classmethod
    def _parse_limit(cls, value: str) -> str:
        parse(value)  # raises ValueError naming the setting when it is not `<count>/<period>`
        return value

    def url(self, service: str) -> str:
        return str(getattr(self, f"{service}_url"))

    def timeout(self, service: str) -> float:
        return float(getattr(self, f"{service}_timeout"))
