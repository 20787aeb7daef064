"""Wire contracts of a programme's funding settings."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field, StrictBool

from kit.schemas import Strict


class FundingSettingsWrite(Strict):
    third_parties_count_toward_match: StrictBool = Field(
        description="Whether third-party money counts toward matching the federal integration credit "
        "(unverified in law, domain brief §3.2; default no)."
    )


class FundingSettingsRead(BaseModel):
    programme_id: uuid.UUID
    canton: str
    first_year: int
    last_year: int
    third_parties_count_toward_match: bool
    version: int
