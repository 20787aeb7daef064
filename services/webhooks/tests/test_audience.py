"""Which endpoints get which events: the feed's own audience rule for each endpoint's owner, type and programme
filters, and a page's deliveries created exactly once (the cursor moves with them)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from webhook_factories import register

from webhooks.dispatch.ingest import CursorMoved, cursor_of, ingest

PARTNER_A, PARTNER_B = uuid.uuid4(), uuid.uuid4()
PROGRAMME_BL, PROGRAMME_BS = str(uuid.uuid4()), str(uuid.uuid4())


def event(position: int, canton: str, partner_id: uuid.UUID | None, programme_id: str) -> dict[str, Any]:
    resource_id = str(uuid.uuid4())
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/kip/programme",
        "type": "programme.measure.changed",
        "subject": f"measure/{resource_id}",
        "time": "2026-11-29T12:00:00.000000Z",
        "datacontenttype": "application/json",
        "sequence": str(position),
        "data": {
            "id": resource_id,
            "resource": "measure",
            "action": "updated",
            "version": 2,
            "canton": canton,
            "programme_id": programme_id,
            "partner_id": str(partner_id) if partner_id else None,
            "changed": ["title"],
        },
    }


async def received(client: httpx.AsyncClient, headers: dict[str, str], endpoint_id: str) -> set[str]:
    page = (await client.get(f"/v1/webhooks/{endpoint_id}/deliveries", headers=headers)).json()
    return {d["event_id"] for d in page["items"]}


async def test_each_endpoint_gets_what_its_owner_may_see(app: FastAPI, client: httpx.AsyncClient, token: Any) -> None:
    owners = {
        "bl": token("canton-editor", canton="BL"),
        "bs": token("canton-editor", canton="BS"),
        "a": token("partner", partner_id=PARTNER_A),
        "b": token("partner", partner_id=PARTNER_B),
        "sem": token("sem"),
    }
    ids = {name: (await register(client, headers))["id"] for name, headers in owners.items()}
    ids["bl-programme"] = (await register(client, owners["bl"], programme_id=PROGRAMME_BL))["id"]
    ids["sem-other-type"] = (await register(client, owners["sem"], event_types=["funding.credit.changed"]))["id"]
    events = {
        "bl-a": event(1, "BL", PARTNER_A, PROGRAMME_BL),
        "bl-b": event(2, "BL", PARTNER_B, PROGRAMME_BL),
        "bl-canton-only": event(3, "BL", None, PROGRAMME_BL),
        "bs-canton-only": event(4, "BS", None, PROGRAMME_BS),
        "bs-a": event(5, "BS", PARTNER_A, PROGRAMME_BS),
    }
    factory, queue = app.state.session_factory, app.state.sqlite_write_queue
    assert await cursor_of(factory, "programme") == 0
    await ingest(factory, queue, "programme", 0, list(events.values()), 5)
    assert await cursor_of(factory, "programme") == 5
    with pytest.raises(CursorMoved):  # the same page again (a second replica): nothing is created twice
        await ingest(factory, queue, "programme", 0, list(events.values()), 5)

    def of(*names: str) -> set[str]:
        return {events[n]["id"] for n in names}

    expected = {
        "bl": of("bl-a", "bl-b", "bl-canton-only"),
        "bs": of("bs-canton-only", "bs-a"),
        "a": of("bl-a", "bs-a"),
        "b": of("bl-b"),
        "sem": set(of(*events)),
        "bl-programme": of("bl-a", "bl-b", "bl-canton-only"),
        "sem-other-type": set(),
    }
    for name, endpoint_id in ids.items():
        headers = owners[name.split("-")[0]]
        assert await received(client, headers, endpoint_id) == expected[name], name
