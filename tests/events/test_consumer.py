"""`kit.consumer` on a real database (SQLite, PostgreSQL) and the real programme service's feed (in-process).

Each test follows the programme service under a source name of its own, so its cursor and consumed ids are its own
in the funding database the suite shares.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from funding.programme_fact import service as facts
from funding.programme_fact.models import ConsumedCursor, ConsumedEvent, ProgrammeMeasure, ProgrammePartner
from kit.auth import Role
from kit.consumer import EventConsumer, Projection
from kit.programme_facts import MEASURE_STATUS, PARTNER_STATUS
from kit.service_token import ServiceCredential
from kit.settings import AuthSettings


class Recorder:
    """The funding projection's handler, counting what it was handed; fails on the event named `fail_on`."""

    def __init__(self) -> None:
        self.handled: list[str] = []
        self.fail_on: str | None = None

    async def __call__(self, session: Any, event: dict[str, Any]) -> None:
        if event.get("id") is not None and event["id"] == self.fail_on:
            raise RuntimeError("the handler failed")
        self.handled.append(str(event.get("id")))
        await facts.apply_event(session, event)


def consumer(
    services: dict[str, FastAPI], auth: AuthSettings, recorder: Recorder, source: str | None = None
) -> EventConsumer:
    projection: Projection = replace(facts.PROJECTION, source=source or f"programme-{uuid.uuid4().hex[:8]}")
    projection = replace(projection, handler=recorder)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=services["programme"]), base_url="http://programme")
    funding = services["funding"].state
    return EventConsumer(
        "funding",
        projection,
        funding.session_factory,
        client,
        ServiceCredential("funding", auth),
        write_queue=funding.sqlite_write_queue,
    )


def partner_event(partner_id: uuid.UUID, status: str, version: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": PARTNER_STATUS,
        "sequence": "1",
        "data": {"id": str(partner_id), "status": status, "version": version, "canton": "BL"},
    }


async def stored(follower: EventConsumer, model: Any, key: Any) -> Any:
    async with follower.sessions() as session:
        return await session.get(model, key)


async def consumed(follower: EventConsumer) -> int:
    async with follower.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(ConsumedEvent).where(ConsumedEvent.source == follower.source)
        )
        return int(count or 0)


async def test_a_batch_and_its_cursor_commit_together_or_not_at_all(
    services: dict[str, FastAPI], events_auth: AuthSettings
) -> None:
    recorder = Recorder()
    follower = consumer(services, events_auth, recorder)
    first, second = uuid.uuid4(), uuid.uuid4()
    events = [partner_event(first, "deactivated", 2), partner_event(second, "deactivated", 2)]
    recorder.fail_on = events[1]["id"]
    with pytest.raises(RuntimeError):
        await follower.apply(events, 7)
    assert await stored(follower, ProgrammePartner, first) is None  # the first event's change was rolled back
    assert await follower.cursor() is None and await consumed(follower) == 0
    recorder.fail_on = None
    assert await follower.apply(events, 7) == 2
    assert (await stored(follower, ProgrammePartner, first)).status == "deactivated"
    assert await follower.cursor() == 7 and await consumed(follower) == 2


async def test_an_event_delivered_again_is_applied_once(
    services: dict[str, FastAPI], events_auth: AuthSettings
) -> None:
    recorder = Recorder()
    follower = consumer(services, events_auth, recorder)
    partner_id = uuid.uuid4()
    deactivated = partner_event(partner_id, "deactivated", 2)
    assert await follower.apply([deactivated], 3) == 1
    reactivated = partner_event(partner_id, "active", 3)
    assert await follower.apply([reactivated], 4) == 1
    # The first event again (a redelivery), in a batch of its own and beside a new one: skipped by its id.
    assert await follower.apply([deactivated], 3) == 0
    other = partner_event(uuid.uuid4(), "deactivated", 1)
    assert await follower.apply([deactivated, other, other], 5) == 1
    assert recorder.handled == [deactivated["id"], reactivated["id"], other["id"]]
    assert (await stored(follower, ProgrammePartner, partner_id)).status == "active"
    assert await follower.cursor() == 5  # never moved back by the redelivery's older position


async def test_a_new_consumer_takes_a_snapshot_then_follows_and_a_restarted_one_resumes(
    services: dict[str, FastAPI], events_auth: AuthSettings, client: httpx.AsyncClient, token: Any
) -> None:
    source = f"programme-{uuid.uuid4().hex[:8]}"
    editor = token("canton-editor", canton="BL")
    slug = f"c-{uuid.uuid4().hex[:8]}"
    made = await client.post(
        "/api/programme/v1/partners",
        headers=editor,
        json={"canton": "BL", "slug": slug, "name": slug, "short_name": slug, "kind": "association"},
    )
    assert made.status_code == 201, made.text
    partner_id = uuid.UUID(made.json()["id"])

    recorder = Recorder()
    follower = consumer(services, events_auth, recorder, source)
    await follower.bootstrap()
    assert await follower.cursor() == 0
    assert (await stored(follower, ProgrammePartner, partner_id)).status == "active"
    while await follower.poll_once(wait=0):
        pass
    caught_up = await follower.cursor()
    assert caught_up is not None and caught_up > 0
    await follower.client.aclose()

    patched = await client.patch(
        f"/api/programme/v1/partners/{partner_id}",
        headers=editor | {"If-Match": made.headers["etag"]},
        json={"status": "deactivated"},
    )
    assert patched.status_code == 200, patched.text

    restarted_recorder = Recorder()
    restarted = consumer(services, events_auth, restarted_recorder, source)
    assert await restarted.cursor() == caught_up
    assert await restarted.poll_once(wait=5) >= 1
    # Only what came after the stored position: the deactivation (the partner's status event and its change).
    assert len(restarted_recorder.handled) == 2
    partner = await stored(restarted, ProgrammePartner, partner_id)
    assert (partner.status, partner.version) == ("deactivated", 2)
    await restarted.client.aclose()


async def test_an_older_version_never_overwrites_a_newer_status(
    services: dict[str, FastAPI], events_auth: AuthSettings
) -> None:
    follower = consumer(services, events_auth, Recorder())
    measure_id = uuid.uuid4()

    def measure_event(status: str, version: int) -> dict[str, Any]:
        data = {"id": str(measure_id), "status": status, "version": version, "canton": "BL"}
        return {"id": str(uuid.uuid4()), "type": MEASURE_STATUS, "data": data}

    await follower.apply([measure_event("completed", 4)], None)
    await follower.apply([measure_event("active", 3)], None)  # a snapshot or a replay older than what is held
    measure = await stored(follower, ProgrammeMeasure, measure_id)
    assert (measure.status, measure.version) == ("completed", 4)
    async with follower.sessions() as session:
        assert await facts.closed_measures(session, [measure_id, uuid.uuid4()]) == {measure_id: "completed"}
        assert await session.get(ConsumedCursor, follower.source) is None  # no position given: none stored
    await follower.client.aclose()


def test_the_platform_credential_reads_as_sem(events_auth: AuthSettings) -> None:
    from kit.auth import TokenVerifier

    credential = ServiceCredential("funding", events_auth)
    principal = TokenVerifier(events_auth).verify(credential.token())
    assert principal.role is Role.SEM and principal.subject == "service:funding"
