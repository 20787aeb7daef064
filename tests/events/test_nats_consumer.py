"""Following the programme service through NATS JetStream (a durable consumer) instead of its feed.

Runs when `KIP_TEST_NATS_URL` names a server; named but unreachable fails. A real programme process publishes to a
stream of this test's own; funding's consumer (on a real funding database, SQLite and PostgreSQL) follows it, is
stopped, and a new one on the same durable consumer resumes: every event applied once.
"""

from __future__ import annotations

import asyncio
import signal
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from funding.programme_fact.models import ConsumedEvent, ProgrammePartner
from funding.programme_fact.service import PROJECTION
from kit import testing
from kit.auth import ensure_local_keypair, issue_token
from kit.consumer import ConsumerSettings, EventConsumer
from kit.db import create_engine, make_session_factory
from kit.event_settings import EventSettings
from kit.service_token import ServiceCredential
from kit.settings import AuthSettings
from support.jetstream import OwnStream, nats_url, needs_nats
from support.platform import process_env, start

pytestmark = needs_nats


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 20) -> None:
    for _ in range(int(within / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {within} s")


@pytest.mark.parametrize("backend", testing.backends())
async def test_a_durable_jetstream_consumer_applies_each_event_once_across_a_restart(
    backend: str, tmp_path: Path, jetstream: tuple[Any, OwnStream]
) -> None:
    js, own = jetstream
    stream, prefix = own.stream, own.prefix
    programme_db = testing.migrated_database(backend, "nats_consumer_programme", "programme", tmp_path)
    funding_db = testing.migrated_database(backend, "nats_consumer_funding", "funding", tmp_path)
    key_dir = tmp_path / "keys"
    key = ensure_local_keypair(key_dir)[0]
    env = process_env(key_dir, PROGRAMME_DATABASE_URL=programme_db, KIP_EVENTS_RELAY_INTERVAL="0.1", **own.env())
    programme = start("programme", "programme", env, tmp_path)
    engine = create_engine(funding_db)
    sessions = make_session_factory(engine)
    events = EventSettings(nats_url=nats_url(), nats_stream=stream, nats_subject_prefix=prefix)
    settings = ConsumerSettings(wait=1, retry_interval=0.2, nats_durable_prefix=f"{prefix}-")
    editor = {"Authorization": f"Bearer {issue_token(key, role='canton-editor', canton='BL')}"}

    def follower(client: httpx.AsyncClient) -> EventConsumer:
        credential = ServiceCredential("funding", AuthSettings(local_key_dir=key_dir))
        return EventConsumer("funding", PROJECTION, sessions, client, credential, settings, None, events)

    async def status(partner_id: str) -> str | None:
        async with sessions() as session:
            return await session.scalar(
                select(ProgrammePartner.status).where(ProgrammePartner.id == uuid.UUID(partner_id))
            )

    async def toggle(client: httpx.AsyncClient, partner_id: str, to: str) -> None:
        current = await client.get(f"/v1/partners/{partner_id}", headers=editor)
        r = await client.patch(
            f"/v1/partners/{partner_id}", headers=editor | {"If-Match": current.headers["etag"]}, json={"status": to}
        )
        assert r.status_code == 200, r.text

    tasks: list[asyncio.Task[None]] = []
    try:
        async with httpx.AsyncClient(base_url=programme.url, timeout=10) as client:
            slug = f"n-{uuid.uuid4().hex[:8]}"
            body = {"canton": "BL", "slug": slug, "name": slug, "short_name": slug, "kind": "association"}
            made = await client.post("/v1/partners", headers=editor, json=body)
            assert made.status_code == 201, made.text
            partner_id = made.json()["id"]

            first = follower(client)
            task = asyncio.create_task(first.run())
            tasks.append(task)
            await toggle(client, partner_id, "deactivated")

            async def deactivated() -> bool:
                # Through the stream (the snapshot may have seen the change already): creation and deactivation.
                return first.applied >= 3 and await status(partner_id) == "deactivated"

            await eventually(deactivated)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

            # While nobody follows: changes go to the stream and wait in the durable consumer.
            await toggle(client, partner_id, "active")
            await toggle(client, partner_id, "deactivated")
            second = follower(client)
            task = asyncio.create_task(second.run())
            tasks.append(task)

            async def version_three() -> bool:
                async with sessions() as session:
                    row = await session.get(ProgrammePartner, uuid.UUID(partner_id))
                    return row is not None and row.version == 4 and row.status == "deactivated"

            await eventually(version_three)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            async with sessions() as session:
                applied = await session.scalar(select(func.count()).select_from(ConsumedEvent))
            # The partner's creation (changed) and three status changes, each with its changed event: 7, once each.
            assert applied == 7, [first.applied, second.applied]
            assert first.applied + second.applied == 7
            durable = await js.consumer_info(stream, f"{prefix}-funding-programme")
            assert durable.num_pending == 0  # everything in the stream was delivered to the durable consumer
    finally:
        for running in tasks:
            running.cancel()
        programme.stop(signal.SIGKILL)
        await engine.dispose()
