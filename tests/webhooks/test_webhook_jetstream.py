"""End to end over NATS JetStream: the services' relays publish, the webhooks service reads the stream through its
durable consumer (not the feeds), and a real receiver verifies every delivery, in order per subject.

Runs when `KIP_TEST_NATS_URL` names a server; one that is named but cannot be reached fails the test. The run
uses a stream and subject prefix of its own, deleted afterwards.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, func, select
from webhook_receiving import (
    MEASURES,
    QUICK_WEBHOOKS,
    assert_in_order_per_subject,
    change_measure,
    control,
    processed,
    wait_for,
)

from kit import testing
from kit.db import sync_url
from support.jetstream import OwnStream, delete_stream, needs_nats, reachable
from support.platform import Platform, running_platform
from webhooks.delivery.models import FeedCursor

pytestmark = needs_nats


@pytest.fixture(scope="module", params=testing.backends())
def platform(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    reachable()
    own = OwnStream.new("wh")
    env = (
        QUICK_WEBHOOKS
        | own.env()
        | {"KIP_EVENTS_RELAY_INTERVAL": "0.2", "WEBHOOKS_NATS_DURABLE": f"webhooks-{own.prefix}"}
    )
    tmp = tmp_path_factory.mktemp("webhooks-nats")
    try:
        yield from running_platform(request.param, tmp, "whnats", seeded=["programme"], env=env, gateway=False)
    finally:
        asyncio.run(delete_stream(own.stream))


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
