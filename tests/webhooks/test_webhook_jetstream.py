"""End to end over NATS JetStream: the services' relays publish, the webhooks service reads the stream through its
durable consumer (not the feeds), and a real receiver verifies every delivery, in order per subject.

Runs when `KIP_TEST_NATS_URL` names a server; one that is named but cannot be reached fails the test. The run
uses a stream and subject prefix of its own, deleted afterwards.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator

import httpx
import nats
import pytest
from sqlalchemy import create_engine, func, select
from webhook_receiving import (
    MEASURES,
    assert_in_order_per_subject,
    change_measure,
    control,
    processed,
    wait_for,
)

from kit import testing
from kit.db import sync_url
from support.platform import Platform, prepare
from webhooks.delivery.models import FeedCursor

NATS_ENV = "KIP_TEST_NATS_URL"
pytestmark = pytest.mark.skipif(not os.environ.get(NATS_ENV), reason=f"{NATS_ENV} is not set")


async def _delete_stream(url: str, stream: str) -> None:
    nc = await asyncio.wait_for(nats.connect(url, allow_reconnect=False, connect_timeout=3), 5)
    try:
        js = nc.jetstream()
        if stream in {i.config.name for i in await js.streams_info()}:
            await js.delete_stream(stream)
    finally:
        await nc.close()


@pytest.fixture(scope="module", params=testing.backends())
def platform(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    url = os.environ[NATS_ENV]
    try:
        asyncio.run(_delete_stream(url, "none"))
    except Exception as exc:  # named but unreachable: fail, never skip
        pytest.fail(f"{NATS_ENV}={url} cannot be reached: {exc!r}")
    tag = uuid.uuid4().hex[:8]
    stream = f"KIPWH{tag}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KIP_EVENTS_NATS_URL", url)
        env.setenv("KIP_EVENTS_NATS_STREAM", stream)
        env.setenv("KIP_EVENTS_NATS_SUBJECT_PREFIX", f"kipwh{tag}")
        env.setenv("KIP_EVENTS_RELAY_INTERVAL", "0.2")
        env.setenv("WEBHOOKS_NATS_DURABLE", f"webhooks-{tag}")
        env.setenv("WEBHOOKS_ALLOW_PRIVATE_URLS", "true")
        env.setenv("WEBHOOKS_FEED_WAIT", "1")
        env.setenv("WEBHOOKS_IDLE_SECONDS", "0.2")
        running = prepare(request.param, tmp_path_factory.mktemp("webhooks-nats"), "whnats", seeded=["programme"])
        try:
            running.start_services()
            yield running
        finally:
            running.stop()
            asyncio.run(_delete_stream(url, stream))


def test_deliveries_come_from_the_stream_signed_and_in_order(platform: Platform, receiver: str) -> None:
    bl = platform.headers("canton-editor", canton="BL")
    created = httpx.post(
        f"{platform.url('webhooks')}/v1/webhooks",
        json={"url": f"{receiver}/hook", "event_types": ["programme.measure.changed"]},
        headers=bl,
    )
    assert created.status_code == 201, created.text
    control(receiver, reset=True, mode="ok", secrets=[created.json()["secret"]])
    for round_ in range(3):
        for measure in MEASURES:
            change_measure(platform, measure, f"Streamed {round_}")
    log = wait_for(lambda: (found := processed(receiver)) and len(found) >= 6 and found)
    assert len(log) == 6
    assert_in_order_per_subject(log)
    engine = create_engine(sync_url(platform.database_urls["webhooks"]))
    try:
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(FeedCursor)).scalar_one() == 0  # no feed was read
    finally:
        engine.dispose()
