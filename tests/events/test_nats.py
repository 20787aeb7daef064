"""The outbox relay against a real NATS JetStream, in a real service process killed with SIGKILL.

Runs when `KIP_TEST_NATS_URL` names a server (CI: nats://127.0.0.1:4222); a server that is named but cannot be
reached fails the test. Each run uses a stream and subject prefix of its own, deleted afterwards.
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
from sqlalchemy import select, update

from kit import testing
from kit.auth import ensure_local_keypair, issue_token
from kit.db import create_engine, make_session_factory
from programme.events import CATALOGUE, Event, EventRelay
from programme.partner.models import Partner
from support.jetstream import OwnStream, needs_nats
from support.platform import Process, process_env, start

pytestmark = needs_nats


async def commit_partners(url: str, count: int) -> None:
    """Changes committed by another process (no relay of its own): in the outbox, not yet published."""
    engine = create_engine(url)
    try:
        async with make_session_factory(engine)() as session:
            CATALOGUE.attach(session.sync_session)
            for _ in range(count):
                slug = f"n-{uuid.uuid4().hex[:10]}"
                session.add(Partner(canton="BL", slug=slug, name=slug, short_name=slug, kind="association"))
            await session.commit()
    finally:
        await engine.dispose()


async def outbox(url: str) -> tuple[list[str], int]:
    """Every event id in the outbox, and the relay's recorded position."""
    engine = create_engine(url)
    try:
        async with make_session_factory(engine)() as session:
            ids = list((await session.execute(select(Event.id).order_by(Event.position))).scalars())
            relayed = await session.scalar(select(EventRelay.position).where(EventRelay.sink == "nats"))
            return ids, int(relayed or 0)
    finally:
        await engine.dispose()


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 15, step: float = 0.02) -> None:
    """Return once `check` holds, or after `within` seconds (the caller's assertion then says what is wrong)."""
    for _ in range(int(within / step)):
        if await check():
            return
        await asyncio.sleep(step)


async def messages(js: Any, stream: str) -> int:
    return int((await js.stream_info(stream)).state.messages)


async def stream_ids(js: Any, stream: str, prefix: str, expected: int) -> list[str]:
    """Every message of the stream (waiting until it holds `expected`), as the event ids it carries."""

    async def complete() -> bool:
        return await messages(js, stream) >= expected

    await eventually(complete)
    total = await messages(js, stream)
    sub = await js.subscribe(f"{prefix}.>", stream=stream, ordered_consumer=True)
    ids = []
    for _ in range(total):
        msg = await sub.next_msg(timeout=5)
        ids.append(msg.headers["Nats-Msg-Id"])
    await sub.unsubscribe()
    return ids


async def stream_exists(js: Any, stream: str) -> None:
    async def made() -> bool:
        return stream in {i.config.name for i in await js.streams_info()}

    await eventually(made)
    assert await made(), f"the relay made no stream {stream}"


@pytest.mark.parametrize("backend", testing.backends())
async def test_a_relay_killed_between_commit_and_publish_loses_nothing_and_repeats_nothing(
    backend: str, tmp_path: Path, jetstream: tuple[Any, OwnStream]
) -> None:
    js, own = jetstream
    stream, prefix = own.stream, own.prefix
    url = testing.migrated_database(backend, "events_nats", "programme", tmp_path)
    key_dir = tmp_path / "keys"
    key = ensure_local_keypair(key_dir)[0]
    env = process_env(key_dir, PROGRAMME_DATABASE_URL=url, KIP_EVENTS_RELAY_BATCH="5", **own.env())

    def service(interval: str) -> Process:
        return start("programme", "programme", env | {"KIP_EVENTS_RELAY_INTERVAL": interval}, tmp_path)

    # A change through the API is published at once, to kip.<service>.<type>, with its id as Nats-Msg-Id.
    running = service("3600")
    editor = {"Authorization": f"Bearer {issue_token(key, role='canton-editor', canton='BL')}"}
    body = {"canton": "BL", "slug": "nats-1", "name": "Nats", "short_name": "N", "kind": "association"}
    async with httpx.AsyncClient(base_url=running.url, timeout=10) as client:
        assert (await client.post("/v1/partners", headers=editor, json=body)).status_code == 201
    await stream_exists(js, stream)
    assert await stream_ids(js, stream, prefix, 1) == (await outbox(url))[0]
    message = await js.get_last_msg(stream, f"{prefix}.programme.programme.partner.changed")
    assert b'"type":"programme.partner.changed"' in message.data

    # Committed while the relay sleeps, then the relay is killed: committed, never published.
    await commit_partners(url, 12)
    await asyncio.sleep(0.5)
    ids, relayed = await outbox(url)
    assert len(ids) == 13 and relayed == 1 and await messages(js, stream) == 1
    running.stop(signal.SIGKILL)

    # Killed again in the middle of publishing (batches of 5), wherever it happens to be.
    running = service("0.05")

    async def begun() -> bool:
        return await messages(js, stream) >= 2

    await eventually(begun, step=0.005)
    running.stop(signal.SIGKILL)
    await commit_partners(url, 3)

    # Restarted: everything arrives, once.
    running = service("0.05")
    try:
        ids, _ = await outbox(url)
        assert len(ids) == 16
        published = await stream_ids(js, stream, prefix, 16)
        assert sorted(published) == sorted(ids), "an event was lost, or published twice past de-duplication"
        assert published == ids, "published out of order"

        # A relay that published but died before recording it starts again from what it recorded: it publishes
        # everything again, and JetStream drops the repeats by their Nats-Msg-Id.
        engine = create_engine(url)
        try:
            async with make_session_factory(engine)() as session, session.begin():
                await session.execute(update(EventRelay).where(EventRelay.sink == "nats").values(position=0))
        finally:
            await engine.dispose()

        async def recorded() -> bool:
            return (await outbox(url))[1] == 16

        await eventually(recorded)
        assert (await outbox(url))[1] == 16
        assert await messages(js, stream) == 16
    finally:
        running.stop(signal.SIGKILL)
