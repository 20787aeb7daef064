"""Following another service's events: a local projection kept in the consuming service's own database.

A consumer reads one source service's feed (`GET /v1/events?after=<position>&wait=`, a long poll, with the
platform's own credential, `kit.service_token`) or, when `KIP_EVENTS_NATS_URL` is set, a JetStream durable
consumer on the source's subjects (`kip.<source>.>`). Each batch is applied in ONE transaction of the consuming
service's database: the handler's changes, a row per applied event id (`consumed_event`) and the source's position
(`consumed_cursor`). So a process killed at any moment either applied a batch and moved its cursor, or did neither:
after a restart it reads again from the stored position, and an event it meets again (the feed after a crash before
the commit was acknowledged, JetStream redelivering what was not acknowledged) is skipped by its id. Nothing is lost,
nothing applied twice.

A new consumer (no cursor yet) first takes a snapshot of the source's current state through its API (`bootstrap`:
seeding raises no events), applied by the same handler in the transaction that creates the cursor, then follows the
feed from its start; handlers apply a fact only when its `version` is newer than the one held, so the replayed older
events change nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import BigInteger, String, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import UtcDateTime, utcnow
from kit.event_settings import EventSettings
from kit.service_token import ServiceCredential

logger = logging.getLogger("kit.consumer")

#: Applies one event (CloudEvents JSON) inside the batch's transaction; it flushes, never commits.
Handler = Callable[[AsyncSession, dict[str, Any]], Awaitable[None]]
#: Reads the source's current state with the given client and headers, as events (`type` and `data`, no `id`).
Bootstrap = Callable[[httpx.AsyncClient, dict[str, str]], Awaitable[list[dict[str, Any]]]]


class ConsumerSettings(BaseSettings):
    """`KIP_CONSUMER_*`: how consumers follow other services' events."""

    model_config = SettingsConfigDict(env_prefix="KIP_CONSUMER_", extra="ignore")

    #: Seconds a feed request waits for a first event (the feed's long poll; at most 30).
    wait: float = 20.0
    batch: int = 200
    #: Seconds before trying again after a failure (source away, database busy).
    retry_interval: float = 2.0
    #: Prefix of JetStream durable consumer names (`<prefix><consumer>-<source>`).
    nats_durable_prefix: str = ""


class ConsumedCursorMixin:
    """How far the service has applied each source's events: one row per source."""

    __tablename__ = "consumed_cursor"

    source: Mapped[str] = mapped_column(String(50), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)


class ConsumedEventMixin:
    """The id of every event applied, so one delivered again is skipped."""

    __tablename__ = "consumed_event"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(50))
    consumed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


@dataclass(frozen=True)
class Projection:
    """What a consuming service keeps of one source: the types it applies, how, and its bookkeeping tables."""

    source: str
    types: frozenset[str]
    handler: Handler
    cursor_model: type[Any]
    event_model: type[Any]
    bootstrap: Bootstrap | None = None


class EventConsumer:
    """Follows `projection.source` for the service `consumer`; `run` until cancelled."""

    def __init__(
        self,
        consumer: str,
        projection: Projection,
        session_factory: async_sessionmaker[AsyncSession],
        client: httpx.AsyncClient,
        credential: ServiceCredential | None = None,
        settings: ConsumerSettings | None = None,
        write_queue: asyncio.Lock | None = None,
        events: EventSettings | None = None,
    ) -> None:
        self.consumer = consumer
        self.projection = projection
        self.sessions = session_factory
        self.client = client
        self.credential = credential or ServiceCredential(consumer)
        self.settings = settings or ConsumerSettings()
        self.write_queue = write_queue
        self.events = events or EventSettings()
        self.applied = 0

    @property
    def source(self) -> str:
        return self.projection.source

    def _writing(self) -> Any:
        return self.write_queue or contextlib.nullcontext()

    async def cursor(self) -> int | None:
        """The stored position, or None before the first snapshot."""
        model = self.projection.cursor_model
        async with self.sessions() as session:
            position = await session.scalar(select(model.position).where(model.source == self.source))
            return None if position is None else int(position)

    async def apply(self, events: Sequence[dict[str, Any]], position: int | None) -> int:
        """Apply a batch and advance the cursor to `position` in one transaction; returns how many were new."""
        async with self._writing(), self.sessions() as session, session.begin():
            applied = await self._apply_in(session, events)
            if position is not None:
                await self._advance(session, position)
        self.applied += applied
        return applied

    async def _apply_in(self, session: AsyncSession, events: Sequence[dict[str, Any]]) -> int:
        model = self.projection.event_model
        wanted = [e for e in events if e.get("type") in self.projection.types]
        ids = [str(e["id"]) for e in wanted]
        seen = set((await session.scalars(select(model.id).where(model.id.in_(ids)))).all()) if ids else set()
        applied = 0
        for event in wanted:
            event_id = str(event["id"])
            if event_id in seen:
                continue
            seen.add(event_id)
            session.add(model(id=event_id, source=self.source, consumed_at=utcnow()))
            await self.projection.handler(session, event)
            applied += 1
        await session.flush()
        return applied

    async def _advance(self, session: AsyncSession, position: int) -> None:
        model = self.projection.cursor_model
        row = await session.get(model, self.source, with_for_update=True)
        if row is None:
            session.add(model(source=self.source, position=position))
        elif position > row.position:
            row.position = position
        await session.flush()

    async def bootstrap(self) -> None:
        """The source's current state, applied with the cursor's first row (position 0) in one transaction."""
        snapshot = (
            await self.projection.bootstrap(self.client, self.credential.headers())
            if self.projection.bootstrap is not None
            else []
        )
        async with self._writing(), self.sessions() as session, session.begin():
            model = self.projection.cursor_model
            if await session.get(model, self.source) is not None:
                return  # another replica took the snapshot meanwhile
            for event in snapshot:
                await self.projection.handler(session, event)
            session.add(model(source=self.source, position=0))
            await session.flush()

    async def poll_once(self, wait: float | None = None) -> int:
        """One feed request after the stored position; returns how many events it brought."""
        after = await self.cursor() or 0
        wait = self.settings.wait if wait is None else wait
        response = await self.client.get(
            "/v1/events",
            params={"after": after, "limit": self.settings.batch, "wait": wait},
            headers=self.credential.headers(),
            timeout=httpx.Timeout(10.0, read=wait + 10.0),
        )
        response.raise_for_status()
        page = response.json()
        events: list[dict[str, Any]] = page["events"]
        if events:
            await self.apply(events, int(page["cursor"]))
        return len(events)

    async def run(self) -> None:
        """Follow the source until cancelled; failures are logged and tried again."""
        while True:
            try:
                if await self.cursor() is None:
                    await self.bootstrap()
                if self.events.nats_url:
                    await self._follow_nats()
                else:
                    while True:
                        await self.poll_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("%s: following the %s events failed; trying again", self.consumer, self.source)
            await asyncio.sleep(self.settings.retry_interval)

    async def _follow_nats(self) -> None:
        """A JetStream durable pull consumer on `<prefix>.<source>.>`: a batch is acknowledged after its commit, so
        one that dies uncommitted is delivered again, and one committed but not acknowledged is skipped by id."""
        import nats
        from nats.errors import TimeoutError as NatsTimeout
        from nats.js.api import StreamConfig
        from nats.js.errors import BadRequestError

        nc = await asyncio.wait_for(nats.connect(str(self.events.nats_url), connect_timeout=5), 10)
        try:
            js = nc.jetstream()
            prefix = self.events.nats_subject_prefix
            with contextlib.suppress(BadRequestError):  # the stream exists already
                await js.add_stream(
                    StreamConfig(
                        name=self.events.nats_stream,
                        subjects=[f"{prefix}.>"],
                        duplicate_window=self.events.duplicate_window,
                    )
                )
            durable = f"{self.settings.nats_durable_prefix}{self.consumer}-{self.source}"
            subscription = await js.pull_subscribe(
                f"{prefix}.{self.source}.>", durable=durable, stream=self.events.nats_stream
            )
            while True:
                try:
                    messages = await subscription.fetch(self.settings.batch, timeout=self.settings.wait)
                except (NatsTimeout, TimeoutError):  # nothing new within `wait`
                    continue
                events = [json.loads(m.data) for m in messages]
                positions = [int(e["sequence"]) for e in events if str(e.get("sequence", "")).isdigit()]
                await self.apply(events, max(positions) if positions else None)
                for message in messages:
                    await message.ack()
        finally:
            with contextlib.suppress(Exception):
                await nc.close()


@dataclass
class Following:
    """A consumer running in the background, and its client; `stop` ends both."""

    consumer: EventConsumer
    task: asyncio.Task[None]

    async def stop(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        await self.consumer.client.aclose()


def start_consumer(
    app: Any,
    consumer: str,
    projection: Projection,
    base_url: str,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Following:
    """Start following `projection.source` in the background (from the consuming service's lifespan, after the
    engine exists); the app keeps it in `app.state.consumers`."""
    client = httpx.AsyncClient(base_url=base_url, transport=transport, timeout=httpx.Timeout(10.0))
    follower = EventConsumer(
        consumer, projection, app.state.session_factory, client, write_queue=app.state.sqlite_write_queue
    )
    task = asyncio.create_task(follower.run(), name=f"{consumer}-follows-{projection.source}")
    following = Following(follower, task)
    app.state.consumers = [*getattr(app.state, "consumers", []), following]
    return following
