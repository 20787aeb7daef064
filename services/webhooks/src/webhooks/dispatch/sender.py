"""Sending deliveries: signed, at least once, in order per subject and endpoint, retried over more than a day.

A delivery is due when it is pending, its time has come, its endpoint is enabled, and no earlier event of the
same subject to the same endpoint is still pending (a later event waits for the earlier one). A replica claims a
due delivery by moving its next attempt `claim_seconds` ahead with a conditional update, so replicas never send
one delivery at the same time, and a replica that dies mid-send leaves it to be sent again after the claim (at
least once; receivers de-duplicate by `webhook-id`, the event id).

An answer 2xx delivers. 410 Gone disables the endpoint at once (its pending deliveries wait until it is
re-enabled). Anything else, a timeout or a refused connection, is a failed attempt: the next one follows after
`retry_schedule[n]` × `retry_scale` seconds (±`retry_jitter`); after the last one the delivery is `failed`. An
endpoint is disabled when one of its deliveries failed for good and no attempt to it succeeded since that
delivery's first attempt (every try over the whole schedule, more than a day, went wrong).

The receiver is not trusted: redirects are not followed, at most `max_response_bytes` of its answer are read,
and the whole exchange is bounded by `send_timeout`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import random
import time
import uuid
from dataclasses import dataclass

import httpx
from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError

from kit.db import utcnow
from kit.event_feed import Wakeup
from webhooks.delivery.models import DELIVERED, FAILED, PENDING, WebhookAttempt, WebhookDelivery
from webhooks.dispatch.address import UnsafeUrl, check_url
from webhooks.dispatch.signing import signature_header, timestamp_header
from webhooks.endpoint.models import WebhookEndpoint
from webhooks.endpoint.service import signing_secrets
from webhooks.settings import WebhooksSettings

log = logging.getLogger(__name__)
EXCERPT_CHARS = 200
USER_AGENT = "KIP-Webhooks/1.0"


@dataclass
class Outcome:
    status_code: int | None
    error: str | None
    excerpt: str | None
    duration_ms: int


def retry_delay(settings: WebhooksSettings, failures: int) -> dt.timedelta | None:
    """The wait after the `failures`-th failed attempt, or `None` when the schedule is used up."""
    if failures > len(settings.retry_schedule):
        return None
    base = settings.retry_schedule[failures - 1] * settings.retry_scale
    jitter = random.uniform(-settings.retry_jitter, settings.retry_jitter)  # noqa: S311 (not for secrecy)
    return dt.timedelta(seconds=base * (1 + jitter))


def _excerpt(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    return "".join(c if c.isprintable() else " " for c in text)[:EXCERPT_CHARS]


class Sender:
    def __init__(
        self,
        settings: WebhooksSettings,
        factory: async_sessionmaker[AsyncSession],
        queue: asyncio.Lock | None,
        client: httpx.AsyncClient,
        wakeup: Wakeup,
    ) -> None:
        self.settings, self.factory, self.queue, self.client, self.wakeup = settings, factory, queue, client, wakeup

    def _writing(self) -> contextlib.AbstractAsyncContextManager[object]:
        return self.queue or contextlib.nullcontext()

    async def claim(self, limit: int) -> list[uuid.UUID]:
        now = utcnow()
        delivery, earlier = WebhookDelivery, aliased(WebhookDelivery)
        blocked = exists().where(
            earlier.endpoint_id == delivery.endpoint_id,
            earlier.source == delivery.source,
            earlier.subject == delivery.subject,
            earlier.status == PENDING,
            earlier.position < delivery.position,
        )
        due = (
            select(delivery.id, delivery.next_attempt_at)
            .join(WebhookEndpoint, WebhookEndpoint.id == delivery.endpoint_id)
            .where(
                delivery.status == PENDING,
                delivery.next_attempt_at <= now,
                WebhookEndpoint.enabled.is_(True),
                ~blocked,
            )
            .order_by(delivery.next_attempt_at, delivery.position)
            .limit(limit)
        )
        claimed = []
        until = now + dt.timedelta(seconds=self.settings.claim_seconds)
        async with self._writing(), self.factory() as session, session.begin():
            for delivery_id, at in (await session.execute(due)).all():
                moved = await session.execute(
                    update(delivery)
                    .where(delivery.id == delivery_id, delivery.next_attempt_at == at, delivery.status == PENDING)
                    .values(next_attempt_at=until)
                    .execution_options(synchronize_session=False)
                )
                if getattr(moved, "rowcount", 0) == 1:
                    claimed.append(delivery_id)
        return claimed

    async def post(self, endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> Outcome:
        started = time.monotonic()
        now = utcnow().replace(microsecond=0)
        body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False)
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": delivery.event_id,
            "webhook-timestamp": timestamp_header(now),
            "webhook-signature": signature_header(signing_secrets(endpoint, now), delivery.event_id, now, body),
        }

        def took() -> int:
            return int((time.monotonic() - started) * 1000)

        try:
            target = await check_url(endpoint.url, self.settings.allow_private_urls)
        except UnsafeUrl as exc:
            return Outcome(None, str(exc)[:200], None, took())
        url = httpx.URL(endpoint.url)
        extensions: dict[str, object] = {}
        if target.address is not None:  # connect to the address that was checked; the name stays for TLS and Host
            headers["host"] = url.netloc.decode("ascii")
            url = url.copy_with(host=target.address)
            extensions["sni_hostname"] = target.host
        try:
            async with asyncio.timeout(self.settings.send_timeout):
                request = self.client.build_request(
                    "POST", url, content=body.encode("utf-8"), headers=headers, extensions=extensions
                )
                response = await self.client.send(request, stream=True)
                try:
                    raw = b""
                    async for chunk in response.aiter_raw():
                        raw += chunk
                        if len(raw) >= self.settings.max_response_bytes:
                            break
                finally:
                    await response.aclose()
                return Outcome(response.status_code, None, _excerpt(raw[: self.settings.max_response_bytes]), took())
        except TimeoutError:
            return Outcome(None, f"no answer within {self.settings.send_timeout:g} s", None, took())
        except httpx.HTTPError as exc:
            return Outcome(None, f"{type(exc).__name__}: {exc}"[:200], None, took())

    async def attempt(self, delivery_id: uuid.UUID) -> None:
        async with self.factory() as session:
            delivery = await session.get(WebhookDelivery, delivery_id)
            endpoint = await session.get(WebhookEndpoint, delivery.endpoint_id) if delivery else None
        if delivery is None or endpoint is None:
            return
        outcome = await self.post(endpoint, delivery)
        try:
            await self.record(delivery_id, outcome)
        except StaleDataError:  # the endpoint changed meanwhile: the claim runs out and the delivery goes again
            log.info("delivery %s: endpoint changed while sending; it is sent again", delivery_id)
        except Exception:  # recorded nowhere: the claim runs out and the delivery goes again
            log.exception("recording an attempt of delivery %s failed", delivery_id)

    async def record(self, delivery_id: uuid.UUID, outcome: Outcome) -> None:
        now = utcnow()
        async with self._writing(), self.factory() as session, session.begin():
            delivery = await session.get(WebhookDelivery, delivery_id)
            # The endpoint's row is locked: answers to several deliveries of one endpoint arrive at once (a receiver
            # back after an outage), and each may change its `failing_since`; they are recorded one after the other,
            # each on the version the one before left, where an unlocked read would lose all but the first.
            endpoint = (
                await session.get(WebhookEndpoint, delivery.endpoint_id, with_for_update=True) if delivery else None
            )
            if delivery is None or endpoint is None:
                return
            session.add(
                WebhookAttempt(
                    delivery_id=delivery.id,
                    attempted_at=now,
                    status_code=outcome.status_code,
                    error=outcome.error,
                    body_excerpt=outcome.excerpt,
                    duration_ms=outcome.duration_ms,
                )
            )
            delivery.last_attempt_at, delivery.last_status_code = now, outcome.status_code
            delivery.first_attempt_at = delivery.first_attempt_at or now
            code = outcome.status_code
            if code is not None and 200 <= code < 300:
                delivery.status, delivery.delivered_at = DELIVERED, now
                if endpoint.failing_since is not None:
                    endpoint.failing_since = None
                return
            if code == 410:
                endpoint.enabled, endpoint.disabled_at = False, now
                endpoint.disabled_reason = "The receiver answered 410 Gone."
                delivery.next_attempt_at = now  # goes out first when the endpoint is enabled again
                return
            delivery.attempts += 1
            if endpoint.failing_since is None:
                endpoint.failing_since = now
            delay = retry_delay(self.settings, delivery.attempts)
            if delay is not None:
                delivery.next_attempt_at = now + delay
                return
            delivery.status = FAILED
            if endpoint.failing_since <= delivery.first_attempt_at:
                endpoint.enabled, endpoint.disabled_at = False, now
                endpoint.disabled_reason = (
                    f"Every attempt since {endpoint.failing_since.isoformat(timespec='seconds')} failed, "
                    f"and delivery {delivery.id} used up its retries."
                )

    async def run(self) -> None:
        running: set[asyncio.Task[None]] = set()
        while True:
            try:
                free = self.settings.send_concurrency - len(running)
                claimed = await self.claim(free) if free > 0 else []
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is away for a moment: try again shortly
                log.warning("claiming deliveries failed: %r", exc)
                claimed = []
            for delivery_id in claimed:
                task = asyncio.create_task(self.attempt(delivery_id))
                running.add(task)
                task.add_done_callback(running.discard)
            if len(running) >= self.settings.send_concurrency or not claimed:
                wake = asyncio.create_task(self.wakeup.wait(self.settings.idle_seconds))
                await asyncio.wait([wake, *running], return_when=asyncio.FIRST_COMPLETED)
                wake.cancel()
