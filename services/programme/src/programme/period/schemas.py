"""Wire contracts of KIP periods."""

from __future__ import annotations

import uuid
from typing import Annotated, Self

from pydantic import Field, StrictInt, model_validator

from kit.i18n import Msg
from kit.schemas import ReadModel, ShortText, Strict

Year = Annotated[StrictInt, Field(ge=2000, le=2100, examples=[2024])]
PeriodCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$", examples=["KIP3"])]


class PeriodCreate(Strict):
    code: PeriodCode
    title: ShortText = Field(examples=["KIP 3 (2024–2027)"])
    first_year: Year
    last_year: Year

    @model_validator(mode="after")
    def _years_ordered(self) -> Self:
        if self.last_year < self.first_year:
            raise ValueError(Msg("last_year must not precede first_year"))
        return self


class PeriodRead(ReadModel):
    id: uuid.UUID
    code: str
    title: str
    first_year: int
    last_year: int
    version: int
