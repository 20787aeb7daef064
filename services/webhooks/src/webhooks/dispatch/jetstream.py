"""Reading the events from NATS JetStream instead of the feeds, when `KIP_EVENTS_NATS_URL` is set.

The services' relays publish every event to the stream (`kit.relay`). The dispatcher reads it through one durable
pull consumer (`WEBHOOKS_NATS_DURABLE`) shared by every replica: JetStream hands each message to one of them. A
batch's deliveries commit in one transaction, and only then are its messages acknowledged: a replica that dies in
between gets the batch again (or another replica does), and deliveries that already exist for an event are not made
twice (one per endpoint and event id), so nothing is missed or repeated. At most one batch is unacknowledged at a
time (`max_ack_pending`), so deliveries are created in stream order, which keeps each subject's events in order
however many replicas read. A new consumer starts with the events published from then on; the feeds' cursors are
not used on this path.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from typing import Any

import nats
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamConfig
from nats.js.errors import BadRequestError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kit.event_feed import Wakeup
from kit.event_settings import EventSettings
from webhooks.delivery.models import WebhookDelivery
from webhooks.dispatch.ingest import deliveries_for
from webhooks.endpoint.models import WebhookEndpoint
from webhooks.settings import WebhooksSettings

log = logging.getLogger(__name__)
RETRY_SECONDS = 2.0


def source_of(event: dict[str, Any]) -> str:
    """`/kip/<service>` → `<service>`."""
    return str(event.get("source", "")).rsplit("/", 1)[-1]


async def ingest_stream(
    factory: async_sessionmaker[AsyncSession], queue: asyncio.Lock | None, events: Sequence[dict[str, Any]]
) -> int:
    """Create the deliveries of a batch of events from the stream, skipping those that exist already."""
    async with queue or contextlib.nullcontext(), factory() as session, session.begin():
        endpoints = list(await session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.enabled.is_(True))))
        ids = [str(e["id"]) for e in events]
        existing = set(
            (
                await session.execute(
                    select(WebhookDelivery.endpoint_id, WebhookDelivery.event_id).where(
                        WebhookDelivery.event_id.in_(ids)
                    )
                )
            ).tuples()
        )
        created = [
            d
            for e in events
            for d in deliveries_for(source_of(e), endpoints, [e])
            if (d.endpoint_id, d.event_id) not in existing
        ]
        session.add_all(created)
    return len(created)


class JetStreamReader:
    def __init__(
        self,
        settings: WebhooksSettings,
        events: EventSettings,
        factory: async_sessionmaker[AsyncSession],
        queue: asyncio.Lock | None,
        wakeup: Wakeup,
    ) -> None:
        self.settings, self.events, self.factory, self.queue, self.wakeup = settings, events, factory, queue, wakeup
        self.nc: Any = None

    async def _subscribe(self) -> Any:
        self.nc = await asyncio.wait_for(
            nats.connect(str(self.events.nats_url), connect_timeout=5, max_reconnect_attempts=-1), 10
        )
        js = self.nc.jetstream()
        stream = StreamConfig(
            name=self.events.nats_stream,
            subjects=[f"{self.events.nats_subject_prefix}.>"],
            duplicate_window=self.events.duplicate_window,
        )
        with contextlib.suppress(BadRequestError):  # made already by a service's relay
            await js.add_stream(stream)
        config = ConsumerConfig(
            durable_name=self.settings.nats_durable,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.NEW,
            max_ack_pending=self.settings.feed_batch,
            ack_wait=self.settings.claim_seconds,
        )
        return await js.pull_subscribe(
            f"{self.events.nats_subject_prefix}.>",
            durable=self.settings.nats_durable,
            stream=self.events.nats_stream,
            config=config,
        )

    async def step(self, subscription: Any) -> int:
        try:
            messages = await subscription.fetch(self.settings.feed_batch, timeout=max(self.settings.feed_wait, 1))
        except (NatsTimeout, TimeoutError):
            return 0
        events = [json.loads(m.data) for m in messages]
        if await ingest_stream(self.factory, self.queue, events):
            self.wakeup.notify()
        for message in messages:
            await message.ack()
        return len(messages)

    async def run(self) -> None:
        subscription = None
        while True:
            try:
                if subscription is None:
                    subscription = await self._subscribe()
                await self.step(subscription)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # NATS or the database away: try again; unacknowledged messages come again
                log.warning("reading the event stream failed: %r", exc)
                await asyncio.sleep(RETRY_SECONDS)

    async def close(self) -> None:
        if self.nc is not None:
            with contextlib.suppress(Exception):
                await self.nc.drain()
