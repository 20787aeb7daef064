"""Funding service settings (`FUNDING_*`)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings


class FundingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FUNDING_", extra="ignore")

    database_url: str = "sqlite:///var/funding.db"
    programme_url: str = "http://127.0.0.1:8001"
    evaluation_url: str = "http://127.0.0.1:8003"
    seed_on_start: bool = True
    #: Follow the programme service's events (measure and partner status) into the local projection.
    follow_events: bool = False
