"""Checks of programme, funding-area, partner and measure ids against the programme service.

Every id is checked when it is written, with the caller's own token, so the programme service's visibility
rules apply: an id the caller may not see is refused exactly like a missing one (422 naming the field). When the
programme service cannot be reached the write is refused with a 503 problem and nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import httpx
from fastapi import Depends, Request

from kit.auth import PrincipalDep
from kit.i18n import Msg
from kit.problems import InvalidInput, UpstreamUnavailable
from kit.upstream import fetch_json

SERVICE = "programme"
Field = Sequence[str | int]


@dataclass(frozen=True)
class ProgrammeInfo:
    id: uuid.UUID
    canton: str
    first_year: int
    last_year: int
    working_language: str = "de"


class ProgrammeService:
    """The programme service as seen with one caller's token."""

    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client = client
        self.token = token

    async def _get(self, path: str) -> dict[str, Any] | None:
        return await fetch_json(self.client, SERVICE, path, self.token)

    async def programme(self, programme_id: uuid.UUID, field: Field = ("body", "programme_id")) -> ProgrammeInfo:
        data = await self._get(f"/v1/programmes/{programme_id}")
        if data is None:
            raise InvalidInput(Msg("Unknown programme {programme_id}.", programme_id=programme_id), field=field)
        try:
            period = data["period"]
            return ProgrammeInfo(
                id=uuid.UUID(str(data["id"])),
                canton=str(data["canton"]),
                first_year=int(period["first_year"]),
                last_year=int(period["last_year"]),
                working_language=str(data.get("working_language") or "de"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise UpstreamUnavailable(
                Msg("The programme service answered in an unexpected shape."), service=SERVICE
            ) from exc

    async def funding_area_ids(self, programme_id: uuid.UUID) -> set[uuid.UUID]:
        data = await self._get(f"/v1/programmes/{programme_id}/funding-areas")
        items = (data or {}).get("items") or []
        return {uuid.UUID(str(item["funding_area"]["id"])) for item in items}

    async def check_funding_areas(self, programme_id: uuid.UUID, wanted: Sequence[tuple[uuid.UUID, Field]]) -> None:
        """Each funding area must be one of the programme's period's areas."""
        if not wanted:
            return
        known = await self.funding_area_ids(programme_id)
        for area_id, field in wanted:
            if area_id not in known:
                raise InvalidInput(
                    Msg(
                        "Funding area {area_id} is not an area of programme {programme_id}.",
                        area_id=area_id,
                        programme_id=programme_id,
                    ),
                    field=field,
                )

    async def check_partner(self, partner_id: uuid.UUID, canton: str, field: Field = ("body", "partner_id")) -> None:
        data = await self._get(f"/v1/partners/{partner_id}")
        if data is None or data.get("canton") != canton:
            raise InvalidInput(
                Msg("Unknown partner {partner_id} in canton {canton}.", partner_id=partner_id, canton=canton),
                field=field,
            )

    async def check_measure(
        self, measure_id: uuid.UUID, programme_id: uuid.UUID, partner_id: uuid.UUID, field: Field
    ) -> None:
        """The measure must belong to the programme and be delivered by the partner (or by no partner yet)."""
        data = await self._get(f"/v1/measures/{measure_id}")
        if data is None or str(data.get("programme_id")) != str(programme_id):
            raise InvalidInput(
                Msg(
                    "Unknown measure {measure_id} in programme {programme_id}.",
                    measure_id=measure_id,
                    programme_id=programme_id,
                ),
                field=field,
            )
        delivered_by = data.get("partner_id")
        if delivered_by is not None and str(delivered_by) != str(partner_id):
            raise InvalidInput(
                Msg("Measure {measure_id} is delivered by another partner.", measure_id=measure_id), field=field
            )


async def _programme_service(request: Request, principal: PrincipalDep) -> ProgrammeService:
    """Built after the token was verified; forwards the caller's bearer token."""
    del principal
    token = request.headers.get("authorization", "").partition(" ")[2].strip()
    return ProgrammeService(request.app.state.programme_client, token)


ProgrammeDep = Annotated[ProgrammeService, Depends(_programme_service)]
