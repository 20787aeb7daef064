"""What a service knows of the programme service's measures and partners, kept from its events (a projection).

Funding and evaluation each hold the same two tables in their own database (`programme_measure`,
`programme_partner`), declared with the mixins here on the service's own `Base`, and follow them with one
`ProgrammeFacts` built from their model classes. Never written by a request: only the consumer of the programme
service's events (`kit.consumer`) changes these rows, together with its cursor, in one transaction.

A closed measure (`completed`, `cancelled`) or a deactivated partner takes no new commitments: the projection
decides, without asking the programme service at the moment of the write. It lags the programme service by the
time its event takes to arrive (the feed's long poll: typically well under a second); until then a write is judged
as before the change. An id the projection does not know (a measure created a moment ago) counts as open: the
existence checks against the programme service still run where a write names a new reference. Which problem a
closed measure or a deactivated partner raises, and what it tells the caller, stays with each service.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import String, Uuid, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from kit.consumer import ConsumedCursorMixin, ConsumedEventMixin, Projection
from kit.db import UtcDateTime, utcnow

SOURCE = "programme"
MEASURE_STATUS = "programme.measure.status_changed"
PARTNER_STATUS = "programme.partner.status_changed"
MEASURE_CHANGED = "programme.measure.changed"
PARTNER_CHANGED = "programme.partner.changed"
CLOSED = frozenset({"completed", "cancelled"})
DEACTIVATED = "deactivated"
PAGE_SIZE = 500


class _StatusFact:
    """A resource's status as the programme service last announced it; `version` is its ETag there."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    canton: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class ProgrammeMeasureMixin(_StatusFact):
    """A measure's status (`planned`, `running`, `completed`, `cancelled`, ...)."""

    __tablename__ = "programme_measure"


class ProgrammePartnerMixin(_StatusFact):
    """A partner organisation's status (`active`, `deactivated`)."""

    __tablename__ = "programme_partner"


async def _pages(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        response = await client.get(path, params={"limit": PAGE_SIZE, "offset": len(items)}, headers=headers)
        response.raise_for_status()
        page = response.json()
        items.extend(page["items"])
        if not page["items"] or len(items) >= int(page["total"]):
            return items


def _status_event(type_: str, item: dict[str, Any], canton: str | None) -> dict[str, Any]:
    data = {"id": item["id"], "status": item.get("status", "active"), "version": item["version"], "canton": canton}
    return {"type": type_, "data": data}


async def snapshot(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every measure's and partner's current status, read with the platform's credential, as status events."""
    cantons = {p["id"]: p["canton"] for p in await _pages(client, "/v1/programmes", headers)}
    measures = await _pages(client, "/v1/measures", headers)
    partners = await _pages(client, "/v1/partners", headers)
    return [_status_event(MEASURE_STATUS, m, cantons.get(m["programme_id"])) for m in measures] + [
        _status_event(PARTNER_STATUS, p, p["canton"]) for p in partners
    ]


@dataclass(frozen=True)
class ProgrammeFacts:
    """One service's projection of the programme service's measures and partners, over its own model classes."""

    measure_model: type[ProgrammeMeasureMixin]
    partner_model: type[ProgrammePartnerMixin]
    cursor_model: type[ConsumedCursorMixin]
    event_model: type[ConsumedEventMixin]

    def _model(self, event_type: str) -> type[_StatusFact]:
        if event_type in (MEASURE_STATUS, MEASURE_CHANGED):
            return self.measure_model
        return self.partner_model

    @property
    def projection(self) -> Projection:
        """What the service's consumer follows: the status events, bootstrapped from a snapshot."""
        return Projection(
            source=SOURCE,
            types=frozenset({MEASURE_STATUS, PARTNER_STATUS, MEASURE_CHANGED, PARTNER_CHANGED}),
            handler=self.apply_event,
            cursor_model=self.cursor_model,
            event_model=self.event_model,
            bootstrap=snapshot,
        )

    async def apply_event(self, session: AsyncSession, event: dict[str, Any]) -> None:
        """A status event sets the status when its `version` is newer than the one held; a removal drops the row."""
        model = self._model(event["type"])
        data = event["data"]
        resource_id = uuid.UUID(str(data["id"]))
        if event["type"] in (MEASURE_CHANGED, PARTNER_CHANGED):
            if data.get("action") == "deleted":
                await session.execute(delete(model).where(model.id == resource_id))
            return
        version = int(data.get("version") or 0)
        row = await session.get(model, resource_id)
        if row is None:
            mapped: Any = model  # a mapped subclass: the declarative constructor takes the columns
            session.add(mapped(id=resource_id, canton=data.get("canton"), status=str(data["status"]), version=version))
        elif version > row.version:
            row.status, row.version = str(data["status"]), version
            row.canton = data.get("canton") or row.canton
        await session.flush()

    async def measure_statuses(
        self, session: AsyncSession, measure_ids: Iterable[uuid.UUID], statuses: frozenset[str] | None = None
    ) -> dict[uuid.UUID, str]:
        """The status the projection holds for each of these measures it knows (only those in `statuses`, when
        given)."""
        ids = list(measure_ids)
        if not ids:
            return {}
        model = self.measure_model
        query = select(model.id, model.status).where(model.id.in_(ids))
        if statuses is not None:
            query = query.where(model.status.in_(statuses))
        return {measure_id: status for measure_id, status in await session.execute(query)}

    async def closed_measures(self, session: AsyncSession, measure_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Of these measures, those closed, with their status."""
        return await self.measure_statuses(session, measure_ids, CLOSED)

    async def deactivated_partners(self, session: AsyncSession, partner_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        ids = list(partner_ids)
        if not ids:
            return set()
        model = self.partner_model
        return set(await session.scalars(select(model.id).where(model.id.in_(ids), model.status == DEACTIVATED)))
