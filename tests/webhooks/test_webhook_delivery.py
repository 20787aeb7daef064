"""End to end: the source services and the webhooks service as real processes, a real receiver process on
loopback that verifies every delivery with `standardwebhooks`, changes made through the HTTP API.

The receiver is down (503) for a while and comes back: every event arrives, in order per subject, and no
`webhook-id` is processed twice. A 410 disables the endpoint; re-enabled, what was pending arrives. After a secret
rotation, deliveries verify with the old secret and with the new one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
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
from support.platform import Platform, running_platform


@pytest.fixture(scope="module", params=testing.backends())
def platform(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    # Quick retries, and enough of them (over a minute) that a slow machine cannot use the schedule up during the
    # receiver's outage: the test is about an outage the deliveries outlast.
    retries = json.dumps([0.2, 0.4, 0.8] + [1] * 60)
    env = QUICK_WEBHOOKS | {"WEBHOOKS_RETRY_SCHEDULE": retries}
    tmp = tmp_path_factory.mktemp("webhooks")
    yield from running_platform(request.param, tmp, "wh", seeded=["programme"], env=env, gateway=False)


def test_every_event_arrives_signed_in_order_through_an_outage_a_410_and_a_rotation(
    platform: Platform, receiver: str
) -> None:
    bl = platform.headers("canton-editor", canton="BL")
    hooks = f"{platform.url('webhooks')}/v1/webhooks"
    created = httpx.post(
        hooks, json={"url": f"{receiver}/hook", "event_types": ["programme.measure.changed"]}, headers=bl
    )
    assert created.status_code == 201, created.text
    endpoint = created.json()
    control(receiver, reset=True, mode="ok", secrets=[endpoint["secret"]])

    for round_ in range(3):
        for measure in MEASURES:
            change_measure(platform, measure, f"Round {round_}")
    wait_for(lambda: len(processed(receiver)) == 6)

    control(receiver, mode="503")
    for round_ in range(3, 6):
        for measure in MEASURES:
            change_measure(platform, measure, f"Round {round_}")
    wait_for(lambda: httpx.get(f"{receiver}/log").json()["answered"] >= 10)
    assert len(processed(receiver)) == 6
    failing = httpx.get(f"{hooks}/{endpoint['id']}/deliveries", params={"status": "pending"}, headers=bl).json()
    assert failing["total"] == 6
    detail = httpx.get(f"{hooks}/{endpoint['id']}/deliveries/{failing['items'][-1]['id']}", headers=bl).json()
    assert {a["status_code"] for a in detail["attempt_log"]} == {503}
    assert "not now" in detail["attempt_log"][0]["body_excerpt"]
    control(receiver, mode="ok")
    log = wait_for(lambda: (found := processed(receiver)) and len(found) >= 12 and found)
    assert len(log) == 12
    assert_in_order_per_subject(log)

    control(receiver, mode="410")
    change_measure(platform, MEASURES[0], "While gone")
    disabled = wait_for(
        lambda: (e := httpx.get(f"{hooks}/{endpoint['id']}", headers=bl)).json()["enabled"] is False and e
    )
    assert "410" in disabled.json()["disabled_reason"]
    control(receiver, mode="ok")
    enabled = httpx.patch(
        f"{hooks}/{endpoint['id']}", json={"enabled": True}, headers=bl | {"If-Match": disabled.headers["etag"]}
    )
    assert enabled.status_code == 200, enabled.text
    wait_for(lambda: len(processed(receiver)) == 13)

    old_secret = endpoint["secret"]
    rotated = httpx.post(f"{hooks}/{endpoint['id']}/secret", json={"overlap_hours": 1}, headers=bl).json()
    control(receiver, secrets=[old_secret, rotated["secret"]])
    change_measure(platform, MEASURES[1], "After rotation")
    log = wait_for(lambda: (found := processed(receiver)) and len(found) == 14 and found)
    assert log[-1]["verified_by"] == [0, 1]
    assert all(e["verified_by"] == [0] for e in log[:-1])
    assert httpx.get(f"{receiver}/log").json()["refused"] == 0
    assert_in_order_per_subject(log)

    redelivered = httpx.post(f"{hooks}/{endpoint['id']}/deliveries/{detail['id']}/redeliver", headers=bl)
    assert redelivered.status_code == 202, redelivered.text
    wait_for(
        lambda: (
            httpx.get(f"{hooks}/{endpoint['id']}/deliveries/{detail['id']}", headers=bl).json()["status"] == "delivered"
        )
    )
    assert len(processed(receiver)) == 14  # the receiver saw the id before: not processed again
