"""The sender on its own, against receivers that fail: the retry schedule runs out, the endpoint is disabled by the
stated rule, and a receiver on a private address is refused at delivery time too (not only at registration)."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from kit.event_feed import Wakeup
from webhooks.delivery.models import DELIVERED, FAILED, PENDING, WebhookAttempt, WebhookDelivery
from webhooks.dispatch.ingest import cursor_of, ingest
from webhooks.dispatch.sender import Sender, retry_delay
from webhooks.dispatch.signing import new_secret
from webhooks.endpoint.models import WebhookEndpoint
from webhooks.settings import WebhooksSettings

#: Nothing listens there: a connection is refused at once.
CLOSED = "http://127.0.0.1:9/hook"


def an_event(position: int, subject: str = "measure/1") -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": "programme.measure.changed",
        "subject": subject,
        "sequence": str(position),
        "data": {"canton": "BL", "partner_id": None, "programme_id": None, "version": position},
    }


async def endpoint_at(app: FastAPI, url: str) -> uuid.UUID:
    async with app.state.session_factory() as session, session.begin():
        endpoint = WebhookEndpoint(
            url=url,
            event_types=["programme.measure.changed"],
            owner_role="sem",
            enabled=True,
            secret=new_secret(),
        )
        session.add(endpoint)
    return endpoint.id


async def sender_for(app: FastAPI, client: httpx.AsyncClient, **settings: Any) -> Sender:
    config = WebhooksSettings(retry_schedule=[0.01, 0.01], retry_jitter=0, send_timeout=2, **settings)
    return Sender(config, app.state.session_factory, app.state.sqlite_write_queue, client, Wakeup())


async def run_until_settled(sender: Sender, rounds: int = 20) -> None:
    for _ in range(rounds):
        claimed = await sender.claim(10)
        if not claimed:
            await asyncio.sleep(0.02)
        for delivery_id in claimed:
            await sender.attempt(delivery_id)


async def deliveries(app: FastAPI) -> list[WebhookDelivery]:
    async with app.state.session_factory() as session:
        return list(await session.scalars(select(WebhookDelivery)))


def test_the_schedule_spans_more_than_a_day_and_ends() -> None:
    settings = WebhooksSettings(retry_jitter=0)
    waits = [retry_delay(settings, n) for n in range(1, len(settings.retry_schedule) + 1)]
    assert sum((w for w in waits if w is not None), dt.timedelta()) > dt.timedelta(hours=24)
    assert retry_delay(settings, len(settings.retry_schedule) + 1) is None
    scaled = WebhooksSettings(retry_scale=0.001, retry_jitter=0.2)
    first = retry_delay(scaled, 1)
    assert first is not None and dt.timedelta(seconds=0.004) <= first <= dt.timedelta(seconds=0.006)


async def test_an_endpoint_that_never_answers_is_disabled_when_its_retries_run_out(app: FastAPI) -> None:
    endpoint_id = await endpoint_at(app, CLOSED)
    await cursor_of(app.state.session_factory, "programme")
    await ingest(app.state.session_factory, app.state.sqlite_write_queue, "programme", 0, [an_event(1)], 1)
    async with httpx.AsyncClient() as client:
        sender = await sender_for(app, client, allow_private_urls=True)
        await run_until_settled(sender)
    [delivery] = await deliveries(app)
    assert delivery.status == FAILED and delivery.attempts == 3
    async with app.state.session_factory() as session:
        endpoint = await session.get(WebhookEndpoint, endpoint_id)
        attempts = list(await session.scalars(select(WebhookAttempt)))
    assert endpoint is not None and endpoint.enabled is False
    assert endpoint.disabled_reason is not None and "used up its retries" in endpoint.disabled_reason
    assert len(attempts) == 3 and all(a.status_code is None and a.error for a in attempts)


async def test_a_private_receiver_is_refused_at_delivery_time(app: FastAPI) -> None:
    await endpoint_at(app, "https://localhost:9/hook")  # registered before the check, or its DNS changed since
    await cursor_of(app.state.session_factory, "programme")
    events = [an_event(1), an_event(2)]
    await ingest(app.state.session_factory, app.state.sqlite_write_queue, "programme", 0, events, 2)
    async with httpx.AsyncClient() as client:
        sender = await sender_for(app, client, allow_private_urls=False)
        claimed = await sender.claim(10)
        assert len(claimed) == 1  # the second event of the subject waits for the first
        await sender.attempt(claimed[0])
    async with app.state.session_factory() as session:
        [attempt] = list(await session.scalars(select(WebhookAttempt)))
    assert attempt.status_code is None and attempt.error is not None and "not a public address" in attempt.error
    statuses = sorted(d.status for d in await deliveries(app))
    assert statuses == [PENDING, PENDING] and DELIVERED not in statuses


class _Accepting(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


async def test_deliveries_to_one_endpoint_answered_at_once_are_all_recorded(app: FastAPI) -> None:
    """A receiver back after an outage answers the heads of several subjects at the same moment: every answer is
    recorded (each clears the endpoint's `failing_since`, one after the other), none is lost to the others."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Accepting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint_id = await endpoint_at(app, f"http://127.0.0.1:{server.server_address[1]}/hook")
        async with app.state.session_factory() as session, session.begin():
            endpoint = await session.get(WebhookEndpoint, endpoint_id)
            assert endpoint is not None
            endpoint.failing_since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
        await cursor_of(app.state.session_factory, "programme")
        events = [an_event(n, subject=f"measure/{n}") for n in range(1, 9)]
        await ingest(app.state.session_factory, app.state.sqlite_write_queue, "programme", 0, events, 8)
        async with httpx.AsyncClient() as client:
            sender = await sender_for(app, client, allow_private_urls=True)
            claimed = await sender.claim(10)
            assert len(claimed) == 8
            await asyncio.gather(*(sender.attempt(d) for d in claimed))
    finally:
        server.shutdown()
        server.server_close()
    assert [d.status for d in await deliveries(app)] == [DELIVERED] * 8
    async with app.state.session_factory() as session:
        endpoint = await session.get(WebhookEndpoint, endpoint_id)
    assert endpoint is not None and endpoint.failing_since is None and endpoint.enabled
