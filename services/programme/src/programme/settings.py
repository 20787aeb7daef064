"""Programme service settings (`PROGRAMME_*`)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings


class ProgrammeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PROGRAMME_", extra="ignore")

    database_url: str = "sqlite:///var/programme.db"
    seed_on_start: bool = True
