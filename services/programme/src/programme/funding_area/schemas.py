"""Wire contracts of funding areas (Förderbereiche)."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, Field, StrictInt

from kit.schemas import Code, ReadModel, ShortText, Strict

PILLARS = {
    1: "Information und Beratung",
    2: "Bildung und Arbeit",
    3: "Verständigung und gesellschaftliche Integration",
}


class LocalisedName(BaseModel):
    """The official name per language; `None` where no official name is known."""

    de: ShortText
    fr: ShortText | None = None
    it: ShortText | None = None


class FundingAreaCreate(Strict):
    period_id: uuid.UUID
    code: Code = Field(examples=["language"])
    position: Annotated[StrictInt, Field(ge=1, le=99)]
    name: LocalisedName
    aliases: list[ShortText] = Field(default_factory=list, max_length=20)
    pillar: Annotated[
        StrictInt,
        Field(
            ge=1,
            le=3,
            description="1 Information und Beratung, 2 Bildung und Arbeit, "
            "3 Verständigung und gesellschaftliche Integration.",
        ),
    ]
    predecessor_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=20, description="Areas of the previous period this area continues."
    )
    note: Annotated[str, Field(max_length=2000)] | None = None


class PredecessorRef(ReadModel):
    id: uuid.UUID
    code: str
    period_id: uuid.UUID
    name_de: str


class FundingAreaRead(BaseModel):
    id: uuid.UUID
    period_id: uuid.UUID
    code: str
    position: int
    name: LocalisedName
    aliases: list[str]
    pillar: int
    pillar_name: str
    predecessors: list[PredecessorRef]
    note: str | None
    version: int
