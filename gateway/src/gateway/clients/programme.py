"""The programme service as the views read it: programmes, funding areas, goals, measures, partners."""

from __future__ import annotations

import uuid

from pydantic import Field

from gateway.clients.base import ServiceClient, Tolerant
from gateway.upstream import CallContext


class Period(Tolerant):
    code: str
    first_year: int
    last_year: int


class Programme(Tolerant):
    id: uuid.UUID
    canton: str
    title: str
    status: str
    period: Period
    working_language: str = "de"


class Names(Tolerant):
    de: str | None = None
    fr: str | None = None
    it: str | None = None


class FundingArea(Tolerant):
    id: uuid.UUID
    code: str
    position: int = 0
    name: Names = Field(default_factory=Names)


class ProgrammeArea(Tolerant):
    funding_area: FundingArea
    is_priority: bool = False


class Goal(Tolerant):
    id: uuid.UUID
    funding_area_id: uuid.UUID
    parent_id: uuid.UUID | None = None
    level: str
    code: str
    title: str


class Measure(Tolerant):
    id: uuid.UUID
    programme_id: uuid.UUID
    funding_area_id: uuid.UUID
    partner_id: uuid.UUID | None = None
    code: str
    title: str
    status: str
    goal_ids: list[uuid.UUID] = Field(default_factory=list)


class Partner(Tolerant):
    id: uuid.UUID
    canton: str
    slug: str
    name: str
    short_name: str
    kind: str


class Outline(Tolerant):
    """A programme with its funding areas, goals and measures (the programme service's `…/outline`)."""

    programme: Programme
    funding_areas: list[ProgrammeArea]
    goals: list[Goal]
    measures: list[Measure]


class ProgrammeClient(ServiceClient):
    async def outline(self, ctx: CallContext, programme_id: uuid.UUID) -> Outline:
        """The programme, its areas, goals and measures in one call, instead of four."""
        return await self.get(Outline, f"/v1/programmes/{programme_id}/outline", ctx)

    async def programmes(self, ctx: CallContext, *, period: str | None = None) -> list[Programme]:
        return await self.get_all(Programme, "/v1/programmes", ctx, {"period": period})

    async def measures(
        self, ctx: CallContext, *, programme_id: uuid.UUID | None = None, partner_id: uuid.UUID | None = None
    ) -> list[Measure]:
        params = {"programme_id": programme_id, "partner_id": partner_id}
        return await self.get_all(Measure, "/v1/measures", ctx, params)

    async def partner(self, ctx: CallContext, partner_id: uuid.UUID) -> Partner:
        return await self.get(Partner, f"/v1/partners/{partner_id}", ctx)
