"""The outbox relay: publishes a service's events to NATS JetStream when `KIP_EVENTS_NATS_URL` is set.

Each event goes to the subject `kip.<service>.<type>` with its id as `Nats-Msg-Id`, in position order. The relay
records how far it got (`event_relay`, one row per sink) only after JetStream acknowledged the batch, so a relay
that dies at any point (between a commit and its publication, or between a publication and the record of it)
starts again at the first event it cannot be sure of: nothing is lost. What it publishes twice carries the same
`Nats-Msg-Id`, which JetStream drops within the stream's duplicate window; a consumer that de-duplicates by event id
sees every event exactly once however long the relay was away.

On PostgreSQL a relay holds its sink's row (`FOR UPDATE SKIP LOCKED`) while it publishes a batch, so of several
replicas one publishes at a time. On SQLite (one machine, usually one process) the relay reads, publishes, then
records its progress in a short write, never holding the database's single write lock while it waits for NATS.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

import nats
from nats.js.api import StreamConfig
from nats.js.errors import BadRequestError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from kit.event_feed import Wakeup
from kit.event_settings import EventSettings
from kit.events import Catalogue, cloud_event

logger = logging.getLogger("kit.relay")
SINK = "nats"


def subject(service: str, event_type: str, prefix: str = "kip") -> str:
    return f"{prefix}.{service}.{event_type}"


class NatsRelay:
    def __init__(
        self,
        catalogue: Catalogue,
        session_factory: async_sessionmaker[AsyncSession],
        engine: AsyncEngine,
        settings: EventSettings,
        wakeup: Wakeup | None = None,
        write_queue: asyncio.Lock | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.sessions = session_factory
        self.postgres = engine.dialect.name == "postgresql"
        self.settings = settings
        self.wakeup = wakeup
        self.write_queue = write_queue
        self.nc: Any = None
        self.js: Any = None

    async def connect(self) -> None:
        # The first connection is tried again by `run`; once connected, the client reconnects by itself.
        self.nc = await asyncio.wait_for(
            nats.connect(str(self.settings.nats_url), connect_timeout=5, max_reconnect_attempts=-1), 10
        )
        self.js = self.nc.jetstream()
        config = StreamConfig(
            name=self.settings.nats_stream,
            subjects=[f"{self.settings.nats_subject_prefix}.>"],
            duplicate_window=self.settings.duplicate_window,
        )
        with contextlib.suppress(BadRequestError):  # the stream exists already (made by another service)
            await self.js.add_stream(config)

    async def close(self) -> None:
        if self.nc is not None:
            await self.nc.drain()

    async def _cursor(self, session: AsyncSession) -> int | None:
        model = self.catalogue.relay_model
        query = select(model.position).where(model.sink == SINK)
        if self.postgres:
            query = query.with_for_update(skip_locked=True)
        position = (await session.execute(query)).scalar_one_or_none()
        if position is None:
            exists = await session.scalar(select(model.sink).where(model.sink == SINK))
            if exists is not None:
                return None  # another replica is publishing
            session.add(model(sink=SINK, position=0))
            await session.flush()
            return 0
        return int(position)

    async def _publish(self, rows: list[Any]) -> None:
        for row in rows:
            body = json.dumps(cloud_event(row), separators=(",", ":")).encode()
            await self.js.publish(
                subject(self.catalogue.service, row.type, self.settings.nats_subject_prefix),
                body,
                headers={"Nats-Msg-Id": row.id},
                timeout=10,
            )

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many events went out."""
        relay = self.catalogue.relay_model
        async with self.write_queue or contextlib.nullcontext(), self.sessions() as session, session.begin():
            cursor = await self._cursor(session)
            if cursor is None:
                return 0
            if self.postgres:
                rows = await self._batch(session, cursor)
                await self._publish(rows)
                if rows:
                    await session.execute(update(relay).where(relay.sink == SINK).values(position=rows[-1].position))
                return len(rows)
        async with self.sessions() as session:
            rows = await self._batch(session, cursor)
        if not rows:
            return 0
        await self._publish(rows)
        async with self.write_queue or contextlib.nullcontext(), self.sessions() as session, session.begin():
            await session.execute(
                update(relay)
                .where(relay.sink == SINK, relay.position < rows[-1].position)
                .values(position=rows[-1].position)
            )
        return len(rows)

    async def _batch(self, session: AsyncSession, cursor: int) -> list[Any]:
        model = self.catalogue.model
        query = select(model).where(model.position > cursor).order_by(model.position).limit(self.settings.relay_batch)
        return list((await session.execute(query)).scalars())

    async def run(self) -> None:
        """Publish until cancelled; a failure (NATS away, database busy) is logged and tried again."""
        while True:
            try:
                if self.js is None:
                    await self.connect()
                while await self.publish_pending() == self.settings.relay_batch:
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("the %s event relay failed; trying again", self.catalogue.service)
            if self.wakeup is not None:
                await self.wakeup.wait(self.settings.relay_interval)
            else:
                await asyncio.sleep(self.settings.relay_interval)


async def start_relay(app: Any) -> asyncio.Task[None] | None:
    """Start the service's relay in the background when NATS is configured (from the service's lifespan)."""
    settings = EventSettings()
    if not settings.nats_url:
        return None
    state = app.state
    relay = NatsRelay(
        state.events, state.session_factory, state.engine, settings, state.event_wakeup, state.sqlite_write_queue
    )
    state.event_relay = relay
    return asyncio.create_task(relay.run(), name=f"{state.events.service}-event-relay")


async def stop_relay(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
