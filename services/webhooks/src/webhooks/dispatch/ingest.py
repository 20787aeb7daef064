"""Reading the services' event feeds into deliveries.

One reader per source service follows its feed (`GET <service>/v1/events?after=<cursor>&wait=…`) with the
platform's own credential (SEM: it reads every event) and filters for each endpoint's owner itself, with the feed's
own audience rule (`kit.event_feed.sees_event`). A page's deliveries and the moved cursor commit in one transaction,
so after a crash the page is read again and nothing is missed or created twice. The cursor moves only from the
position the page was read after: when another replica moved it first, this transaction is rolled back and the
reader goes on from where the other one got to (replicas share the work without creating anything twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Sequence
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kit.event_feed import Wakeup, sees_event
from kit.service_token import ServiceCredential
from webhooks.delivery.models import FeedCursor, WebhookDelivery
from webhooks.endpoint.models import WebhookEndpoint
from webhooks.endpoint.service import owner_principal
from webhooks.settings import WebhooksSettings

log = logging.getLogger(__name__)
#: Seconds between tries to read a feed that does not answer (or answers with an error).
RETRY_SECONDS = 2.0


class CursorMoved(Exception):
    """Another replica created this page's deliveries first."""


def wants(endpoint: WebhookEndpoint, event: dict[str, Any]) -> bool:
    """Whether the endpoint receives the event: a type it asked for, its programme if it named one, and an event
    its owner may see."""
    data = event.get("data") or {}
    if event.get("type") not in endpoint.event_types:
        return False
    if endpoint.programme_id is not None and data.get("programme_id") != str(endpoint.programme_id):
        return False
    return sees_event(owner_principal(endpoint), data.get("canton"), data.get("partner_id"))


def deliveries_for(
    source: str, endpoints: Sequence[WebhookEndpoint], events: Sequence[dict[str, Any]]
) -> list[WebhookDelivery]:
    return [
        WebhookDelivery(
            id=uuid.uuid4(),
            endpoint_id=endpoint.id,
            event_id=str(event["id"]),
            event_type=str(event["type"]),
            source=source,
            subject=str(event["subject"]),
            position=int(event["sequence"]),
            payload=event,
        )
        for event in events
        for endpoint in endpoints
        if wants(endpoint, event)
    ]


async def cursor_of(factory: async_sessionmaker[AsyncSession], source: str) -> int:
    async with factory() as session:
        position = await session.scalar(select(FeedCursor.position).where(FeedCursor.source == source))
    if position is not None:
        return int(position)
    with contextlib.suppress(IntegrityError):  # another replica made it at the same moment
        async with factory() as session, session.begin():
            session.add(FeedCursor(source=source, position=0))
    return 0


async def ingest(
    factory: async_sessionmaker[AsyncSession],
    queue: asyncio.Lock | None,
    source: str,
    after: int,
    events: Sequence[dict[str, Any]],
    cursor: int,
) -> int:
    """Create the page's deliveries and move the cursor from `after` to `cursor`, in one transaction."""
    async with queue or contextlib.nullcontext(), factory() as session, session.begin():
        # The cursor first: a second replica with the same page waits here for the first one's commit (PostgreSQL
        # locks the row) and then finds the cursor moved.
        moved = await session.execute(
            update(FeedCursor)
            .where(FeedCursor.source == source, FeedCursor.position == after)
            .values(position=cursor)
            .execution_options(synchronize_session=False)
        )
        if getattr(moved, "rowcount", 0) != 1:
            raise CursorMoved(source)
        endpoints = list(await session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.enabled.is_(True))))
        deliveries = deliveries_for(source, endpoints, events)
        session.add_all(deliveries)
    return len(deliveries)


class FeedReader:
    def __init__(
        self,
        source: str,
        url: str,
        settings: WebhooksSettings,
        factory: async_sessionmaker[AsyncSession],
        queue: asyncio.Lock | None,
        client: httpx.AsyncClient,
        credential: ServiceCredential,
        wakeup: Wakeup,
    ) -> None:
        self.source, self.url, self.settings = source, url, settings
        self.factory, self.queue, self.client = factory, queue, client
        self.credential, self.wakeup = credential, wakeup

    async def step(self) -> int:
        """Read one page after the stored cursor (waiting for one up to `feed_wait`) and ingest it."""
        after = await cursor_of(self.factory, self.source)
        response = await self.client.get(
            f"{self.url}/v1/events",
            params={"after": after, "wait": self.settings.feed_wait, "limit": self.settings.feed_batch},
            headers=self.credential.headers(),
            timeout=self.settings.feed_wait + self.settings.feed_timeout,
        )
        if response.status_code != 200:
            raise httpx.HTTPStatusError(
                f"{self.source} feed answered {response.status_code}", request=response.request, response=response
            )
        page = response.json()
        events: list[dict[str, Any]] = page["events"]
        if not events:
            return 0
        try:
            created = await ingest(self.factory, self.queue, self.source, after, events, int(page["cursor"]))
        except (CursorMoved, IntegrityError):
            return 0
        if created:
            self.wakeup.notify()
        return len(events)

    async def run(self) -> None:
        while True:
            try:
                await self.step()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a feed that fails is read again shortly; nothing is lost meanwhile
                log.warning("reading the %s event feed failed: %r", self.source, exc)
                await asyncio.sleep(RETRY_SECONDS)
