"""Evaluation service settings (`EVALUATION_*`)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kit.settings import ServiceSettings


class EvaluationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EVALUATION_", extra="ignore")

    database_url: str = "sqlite:///var/evaluation.db"
    programme_url: str = Field(
        default="http://127.0.0.1:8001", description="The programme service, which ids are checked against."
    )
    values_due_days: int = Field(
        default=31, ge=0, le=365, description="Indicator values of a year are due this many days after 31 December."
    )
    follow_events: bool = Field(
        default=False,
        description="Follow the programme service's events (measure and partner status) into the local projection.",
    )
    today: dt.date | None = Field(
        default=None,
        description="A fixed date the service takes as today (what is due, whether a year has ended); unset: the "
        "calendar date in Switzerland. For tests and demonstrations only.",
    )
