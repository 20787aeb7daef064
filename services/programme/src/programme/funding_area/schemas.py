"""Wire contracts of funding areas (Förderbereiche)."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, Field, StrictBool, StrictInt

from kit.schemas import Code, ReadModel, ShortText, Strict

PILLARS = {
    1: "Information und Beratung",
    2: "Bildung und Arbeit",
    3: "Verständigung und gesellschaftliche Integration",
}


class LocalisedName(BaseModel):
    """The name per language (localized: German, French, Italian); `None` where no name is known."""

    de: ShortText
    fr: ShortText | None = None
    it: ShortText | None = None


NameSource = Annotated[
    str | None, Field(max_length=2000, description="Where the French and Italian names come from (sources or why).")
]
NameIllustrative = Annotated[
    StrictBool, Field(description="True while a French or Italian name is a translation, not an official title.")
]


class LocalisedNameUpdate(Strict):
    """The languages of a name SEM corrects; omitted ones stay as they are."""

    de: ShortText | None = None
    fr: ShortText | None = None
    it: ShortText | None = None


class FundingAreaUpdate(Strict):
    """SEM's correction of an area's names and aliases. Code, period, pillar and predecessors stay, so every
    mapping and id that refers to the area keeps its meaning."""

    name: LocalisedNameUpdate | None = None
    name_source: NameSource = None
    name_illustrative: StrictBool | None = None
    aliases: list[ShortText] | None = Field(default=None, max_length=20)


class FundingAreaCreate(Strict):
    period_id: uuid.UUID
    code: Code = Field(examples=["language"])
    position: Annotated[StrictInt, Field(ge=1, le=99)]
    name: LocalisedName
    name_source: NameSource = None
    name_illustrative: NameIllustrative = False
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
    name_source: NameSource
    name_illustrative: NameIllustrative
    aliases: list[str]
    pillar: int
    pillar_name: str
    predecessors: list[PredecessorRef]
    note: str | None
    version: int
