"""The programme service, asked about every programme, measure, goal and partner id this service stores.

Each check forwards the caller's own token, so the programme service's rules decide what the caller may
name: a partner token sees only the measures its organisation delivers. Unreachable → 503, nothing written;
unknown (or not visible to the caller) → None, which the use cases turn into a 422 naming the field.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

import httpx
from fastapi import Depends, Request

from evaluation.problems import UnknownReference
from kit.i18n import Msg
from kit.problems import Unauthorized
from kit.upstream import fetch_json

SERVICE = "programme"


@dataclass(frozen=True)
class Programmes:
    """The programme service as seen with one caller's token."""

    client: httpx.AsyncClient
    token: str

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
        return await fetch_json(self.client, SERVICE, path, self.token, params)

    async def programme(self, programme_id: uuid.UUID) -> dict[str, Any] | None:
        return await self._get(f"/v1/programmes/{programme_id}")

    async def measure(self, measure_id: uuid.UUID) -> dict[str, Any] | None:
        return await self._get(f"/v1/measures/{measure_id}")

    async def goal(self, goal_id: uuid.UUID) -> dict[str, Any] | None:
        return await self._get(f"/v1/goals/{goal_id}")

    async def partner(self, partner_id: uuid.UUID) -> dict[str, Any] | None:
        return await self._get(f"/v1/partners/{partner_id}")

    async def own_measure_ids(self) -> set[uuid.UUID]:
        """The measures the caller may see (for a partner token: those its organisation delivers)."""
        ids: set[uuid.UUID] = set()
        offset = 0
        while True:
            page = await self._get("/v1/measures", {"limit": 500, "offset": offset})
            if page is None:
                return ids
            items = page.get("items", [])
            ids.update(uuid.UUID(m["id"]) for m in items)
            offset += len(items)
            if not items or offset >= int(page.get("total", 0)):
                return ids

    async def require_programme(self, programme_id: uuid.UUID, field: list[str | int]) -> dict[str, Any]:
        programme = await self.programme(programme_id)
        if programme is None:
            raise UnknownReference(Msg("Unknown programme {programme_id}.", programme_id=programme_id), field=field)
        return programme

    async def require_measure(
        self, measure_id: uuid.UUID, programme_id: uuid.UUID, field: list[str | int]
    ) -> dict[str, Any]:
        measure = await self.measure(measure_id)
        if measure is None or measure.get("programme_id") != str(programme_id):
            raise UnknownReference(
                Msg(
                    "Unknown measure {measure_id} in programme {programme_id}.",
                    measure_id=measure_id,
                    programme_id=programme_id,
                ),
                field=field,
            )
        return measure

    async def require_goal(
        self, goal_id: uuid.UUID, programme_id: uuid.UUID | None, field: list[str | int]
    ) -> dict[str, Any]:
        goal = await self.goal(goal_id)
        if goal is None or goal.get("programme_id") not in (None, str(programme_id)):
            raise UnknownReference(
                Msg("Unknown goal {goal_id} for programme {programme_id}.", goal_id=goal_id, programme_id=programme_id),
                field=field,
            )
        return goal

    async def require_funding_area(
        self, area_id: uuid.UUID, programme_id: uuid.UUID, field: list[str | int]
    ) -> dict[str, Any]:
        areas = await self._get(f"/v1/programmes/{programme_id}/funding-areas") or {}
        entries: list[dict[str, Any]] = areas.get("items", [])
        for entry in entries:
            area = entry.get("funding_area") or {}
            if area.get("id") == str(area_id):
                return dict(area)
        raise UnknownReference(
            Msg(
                "Unknown funding area {area_id} in programme {programme_id}.",
                area_id=area_id,
                programme_id=programme_id,
            ),
            field=field,
        )

    async def require_partner(self, partner_id: uuid.UUID, canton: str, field: list[str | int]) -> dict[str, Any]:
        partner = await self.partner(partner_id)
        if partner is None or partner.get("canton") != canton:
            raise UnknownReference(
                Msg("Unknown partner {partner_id} in canton {canton}.", partner_id=partner_id, canton=canton),
                field=field,
            )
        return partner


async def _programmes(request: Request) -> Programmes:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized(Msg("Send `Authorization: Bearer <token>`."))
    return Programmes(client=request.app.state.programme_client, token=token.strip())


ProgrammesDep = Annotated[Programmes, Depends(_programmes)]
