"""What keeps the views' part cache true: an event follower in the background, and the gateway's own writes.

The follower reads every event of the platform with the gateway's own credential (`kit.service_token`, SEM role:
every canton's events) and marks what each may have changed (`PartCache.note_event`):

- **feeds** (default): each service's `GET /v1/events`, long-polled (`wait`) from the end of the feed it found at
  start; a service that does not answer makes the follower unhealthy until it answers again, and its cursor resumes
  where it was, so nothing is missed.
- **NATS** (`KIP_EVENTS_NATS_URL` set, or `GATEWAY_VIEW_CACHE_EVENTS=nats`): a plain subscription to
  `<prefix>.>` (no queue group), so every gateway replica receives every event and each keeps its own cache true.
  While disconnected it is unhealthy; on reconnecting it distrusts everything kept before (what was published
  meanwhile is not delivered again).

The follower starts with the cache's first use; whenever it becomes healthy, what was kept before is asked again
once. The cache trusts a kept part only while the follower is healthy (see `gateway.cache`). A write through the gateway
(any method but GET, HEAD and OPTIONS, whatever its outcome) marks its caller's audience before the answer leaves,
so the writer's next view asks the services again (read-your-writes), before the event arrives.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.cache import PartCache, audience
from gateway.settings import GatewaySettings
from gateway.upstream import CallContext, Upstream
from kit.event_schema import MAX_POSITION
from kit.event_settings import EventSettings
from kit.service_token import ServiceCredential
from kit.settings import AuthSettings

logger = logging.getLogger("gateway.invalidation")

#: Events read per feed request; a full page means the follower is not caught up yet.
PAGE = 500
#: Seconds between attempts to reach a feed or NATS that did not answer.
RETRY_SECONDS = 1.0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class FeedFollower:
    """Long-polls every service's feed; healthy while every feed answered its last request and was caught up."""

    def __init__(
        self, cache: PartCache, upstreams: dict[str, Upstream], credential: ServiceCredential, settings: GatewaySettings
    ) -> None:
        self.cache = cache
        self.upstreams = upstreams
        self.credential = credential
        self.settings = settings
        self.caught_up = dict.fromkeys(upstreams, False)

    def healthy(self) -> bool:
        return all(self.caught_up.values())

    async def run(self) -> None:
        await asyncio.gather(*(self._follow(service) for service in self.upstreams))

    async def _page(self, service: str, after: int, limit: int, wait: float) -> tuple[list[Any], int]:
        upstream = self.upstreams[service]
        ctx = CallContext(authorization=f"Bearer {self.credential.token()}")
        params = {"after": after, "limit": limit, "wait": wait}
        response = await upstream.send(
            "GET", "/v1/events", ctx, params=params, wait=self.settings.timeout(service) + wait
        )
        if response.status_code != 200:
            raise RuntimeError(f"the {service} feed answered {response.status_code}")
        page = response.json()
        return list(page["events"]), int(page["cursor"])

    async def _end(self, service: str) -> int:
        """The feed's last position, found in a few requests (history is not read: nothing was kept before)."""

        async def has_after(position: int) -> bool:
            return bool((await self._page(service, position, 1, 0))[0])

        low, high = -1, 1
        while high < MAX_POSITION and await has_after(high):
            low, high = high, min(high * 2, MAX_POSITION)
        while high - low > 1:  # events after `low`, none after `high`
            middle = (low + high) // 2
            low, high = (middle, high) if await has_after(middle) else (low, middle)
        return high

    async def _follow(self, service: str) -> None:
        cursor: int | None = None
        while True:
            try:
                if cursor is None:
                    cursor = await self._end(service)
                # Not caught up (just started, or back after a failure): read what is there without waiting, so
                # an empty backlog is known at once; caught up: wait for the next event.
                wait = self.settings.view_cache_feed_wait if self.caught_up[service] else 0.0
                events, cursor = await self._page(service, cursor, PAGE, wait)
                for event in events:
                    self.cache.note_event(_programme_of(event))
                if not self.caught_up[service] and len(events) < PAGE:
                    # What was confirmed before may predate events that fell before the end found at start: ask.
                    self.cache.reset()
                    logger.info("the %s event feed is followed, caught up at position %s", service, cursor)
                self.caught_up[service] = len(events) < PAGE
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a service away or failing: distrust, and try again
                if self.caught_up[service]:
                    logger.warning("the %s event feed cannot be read (%s); the view cache asks again", service, exc)
                self.caught_up[service] = False
                await asyncio.sleep(RETRY_SECONDS)


class NatsFollower:
    """Subscribes to every event on NATS; healthy while connected."""

    def __init__(self, cache: PartCache, settings: EventSettings) -> None:
        self.cache = cache
        self.settings = settings
        self.connected = False

    def healthy(self) -> bool:
        return self.connected

    async def _disconnected(self) -> None:
        self.connected = False

    async def _reconnected(self) -> None:
        self.cache.reset()  # events published while away are not delivered again
        self.connected = True

    async def _error(self, exc: Exception) -> None:
        logger.info("NATS: %s", exc)

    async def _received(self, message: Any) -> None:
        try:
            event = json.loads(message.data)
            self.cache.note_event(_programme_of(event))
        except (ValueError, TypeError, AttributeError):
            self.cache.note_event(None)  # unreadable: it may concern anything

    async def run(self) -> None:
        import nats

        while True:
            nc: Any = None
            try:
                nc = await asyncio.wait_for(
                    nats.connect(
                        str(self.settings.nats_url),
                        connect_timeout=5,
                        max_reconnect_attempts=-1,
                        reconnect_time_wait=RETRY_SECONDS,
                        disconnected_cb=self._disconnected,
                        reconnected_cb=self._reconnected,
                        error_cb=self._error,
                    ),
                    10,
                )
                await nc.subscribe(f"{self.settings.nats_subject_prefix}.>", cb=self._received)
                await nc.flush()
                self.cache.reset()
                self.connected = True
                await asyncio.Event().wait()  # the client receives and reconnects by itself until cancelled
            except asyncio.CancelledError:
                self.connected = False
                if nc is not None:
                    with contextlib.suppress(Exception):
                        await nc.close()
                raise
            except Exception as exc:
                self.connected = False
                logger.warning("NATS cannot be reached (%s); the view cache asks the services", exc)
                if nc is not None:
                    with contextlib.suppress(Exception):
                        await nc.close()
                await asyncio.sleep(RETRY_SECONDS)


def _programme_of(event: Any) -> str | None:
    data = event.get("data") if isinstance(event, dict) else None
    programme = data.get("programme_id") if isinstance(data, dict) else None
    return str(programme) if programme else None


def start_follower(
    settings: GatewaySettings,
    cache: PartCache | None,
    upstreams: dict[str, Upstream],
    auth: AuthSettings | None = None,
) -> asyncio.Task[None] | None:
    """The follower for `cache` as the settings choose, started in the background; `None` when nothing is trusted."""
    if cache is None or settings.view_cache_trust_seconds <= 0 or settings.view_cache_events == "off":
        return None
    events = EventSettings()
    follower: FeedFollower | NatsFollower
    if settings.view_cache_events == "nats" or (settings.view_cache_events == "auto" and events.nats_url):
        follower = NatsFollower(cache, events)
    else:
        follower = FeedFollower(cache, upstreams, ServiceCredential("gateway", auth), settings)
    cache.follower_healthy = follower.healthy
    return asyncio.create_task(follower.run(), name="view-cache-follower")


async def stop_follower(task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


class WriteMarkMiddleware:
    """Pure ASGI: a write through the gateway marks its caller's audience in the view cache as it is answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})  # shared with the request, where the caller's principal is set

        async def marking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                cache: PartCache | None = getattr(scope["app"].state, "view_cache", None)
                principal = state.get("principal")
                if cache is not None and principal is not None:
                    cache.note_write(audience(principal))
            await send(message)

        await self.app(scope, receive, marking_send)
