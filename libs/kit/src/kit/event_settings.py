"""`KIP_EVENTS_*`: where events go beyond a service's own feed. Needs no database, so the gateway can read it."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class EventSettings(BaseSettings):
    """`KIP_EVENTS_*`: where events go beyond the service's own feed."""

    model_config = SettingsConfigDict(env_prefix="KIP_EVENTS_", extra="ignore")

    nats_url: str | None = None
    nats_stream: str = "KIP"
    #: Subjects are `<prefix>.<service>.<type>`; the stream takes `<prefix>.>`.
    nats_subject_prefix: str = "kip"
    #: Seconds between looks for events committed by other processes (this process's commits wake the relay).
    relay_interval: float = 1.0
    relay_batch: int = 200
    #: JetStream drops a message whose `Nats-Msg-Id` it saw within this many seconds.
    duplicate_window: float = 600.0
