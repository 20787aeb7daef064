"""The programme service's measures and partners as evaluation follows them, and the rules that use them.

A closed measure (`completed`, `cancelled`) or a deactivated partner takes no new commitments: the projection
decides, without asking the programme service at the moment of the write. It lags the programme service by the
time its event takes to arrive (the feed's long poll: typically well under a second); until then a write is judged
as before the change. An id the projection does not know (a measure created a moment ago) counts as open: the
existence checks against the programme service still run where a write names a new reference.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import httpx
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.programme_fact.models import ConsumedCursor, ConsumedEvent, ProgrammeMeasure, ProgrammePartner
from kit.auth import Principal
from kit.consumer import Projection
from kit.problems import Conflict


class MeasureClosed(Conflict):
    """A closed measure (completed or cancelled in the programme service) takes no new reporting duties."""

    type_slug = "evaluation/measure-closed"
    title = "The measure is closed"


class PartnerDeactivated(Conflict):
    """A partner the programme service deactivated reports no more; the canton enters its figures."""

    type_slug = "evaluation/partner-deactivated"
    title = "The partner organisation is deactivated"


SOURCE = "programme"
MEASURE_STATUS = "programme.measure.status_changed"
PARTNER_STATUS = "programme.partner.status_changed"
MEASURE_CHANGED = "programme.measure.changed"
PARTNER_CHANGED = "programme.partner.changed"
CLOSED = frozenset({"completed", "cancelled"})
DEACTIVATED = "deactivated"
_MODELS: dict[str, type[ProgrammeMeasure] | type[ProgrammePartner]] = {
    MEASURE_STATUS: ProgrammeMeasure,
    PARTNER_STATUS: ProgrammePartner,
    MEASURE_CHANGED: ProgrammeMeasure,
    PARTNER_CHANGED: ProgrammePartner,
}


async def apply_event(session: AsyncSession, event: dict[str, Any]) -> None:
    """A status event sets the status when its `version` is newer than the one held; a removal drops the row."""
    model = _MODELS[event["type"]]
    data = event["data"]
    resource_id = uuid.UUID(str(data["id"]))
    if event["type"] in (MEASURE_CHANGED, PARTNER_CHANGED):
        if data.get("action") == "deleted":
            await session.execute(delete(model).where(model.id == resource_id))
        return
    version = int(data.get("version") or 0)
    row: Any = await session.get(model, resource_id)
    if row is None:
        session.add(model(id=resource_id, canton=data.get("canton"), status=str(data["status"]), version=version))
    elif version > row.version:
        row.status, row.version = str(data["status"]), version
        row.canton = data.get("canton") or row.canton
    await session.flush()


async def _pages(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        response = await client.get(path, params={"limit": 500, "offset": len(items)}, headers=headers)
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


PROJECTION = Projection(
    source=SOURCE,
    types=frozenset(_MODELS),
    handler=apply_event,
    cursor_model=ConsumedCursor,
    event_model=ConsumedEvent,
    bootstrap=snapshot,
)


async def closed_measures(session: AsyncSession, measure_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Of these measures, those closed, with their status."""
    ids = list(measure_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(ProgrammeMeasure.id, ProgrammeMeasure.status).where(
            ProgrammeMeasure.id.in_(ids), ProgrammeMeasure.status.in_(CLOSED)
        )
    )
    return {measure_id: status for measure_id, status in rows}


async def deactivated_partners(session: AsyncSession, partner_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    ids = list(partner_ids)
    if not ids:
        return set()
    rows = await session.scalars(
        select(ProgrammePartner.id).where(ProgrammePartner.id.in_(ids), ProgrammePartner.status == DEACTIVATED)
    )
    return set(rows)


async def measure_statuses(session: AsyncSession, measure_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The status the projection holds for each of these measures it knows."""
    ids = list(measure_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(ProgrammeMeasure.id, ProgrammeMeasure.status).where(ProgrammeMeasure.id.in_(ids))
    )
    return {measure_id: status for measure_id, status in rows}


async def require_partner_active(session: AsyncSession, partner_id: uuid.UUID) -> None:
    """409 `evaluation/partner-deactivated` when the programme service deactivated the partner."""
    if await deactivated_partners(session, [partner_id]):
        raise PartnerDeactivated(
            f"Partner {partner_id} is deactivated in the programme service; it reports no more values (a canton "
            "editor enters them).",
            partner_id=str(partner_id),
        )


async def require_measure_open(session: AsyncSession, principal: Principal, measure_id: uuid.UUID) -> None:
    """409 `evaluation/measure-closed` for a closed measure of a canton the caller may read (others are left to
    the existence check, which answers them like unknown ones)."""
    row = await session.get(ProgrammeMeasure, measure_id)
    if row is None or row.status not in CLOSED or row.canton is None or not principal.can_read_canton(row.canton):
        return
    raise MeasureClosed(
        f"Measure {measure_id} is {row.status} in the programme service; it takes no new indicators.",
        measure_id=str(measure_id),
        measure_status=row.status,
        field=["body", "measure_id"],
    )
