"""The end-to-end tests' receiver process and helpers: make changes, read what the receiver processed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from kit.ids import seed_uuid
from support.platform import Platform

#: The webhooks service told to send to a receiver on loopback, to read the feeds in short polls and to look for
#: due deliveries every 0.2 s.
QUICK_WEBHOOKS: dict[str, str | None] = {
    "WEBHOOKS_ALLOW_PRIVATE_URLS": "true",
    "WEBHOOKS_FEED_WAIT": "1",
    "WEBHOOKS_IDLE_SECONDS": "0.2",
}
MEASURES = [str(seed_uuid("measure", "BL-KIP3/BL-1.02")), str(seed_uuid("measure", "BL-KIP3/BL-4.01"))]


def wait_for(check: Callable[[], Any], seconds: float = 20) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")


def change_measure(platform: Platform, measure_id: str, title: str) -> None:
    headers = platform.headers("canton-editor", canton="BL")
    url = f"{platform.url('programme')}/v1/measures/{measure_id}"
    etag = httpx.get(url, headers=headers).headers["etag"]
    response = httpx.patch(url, json={"title": title}, headers=headers | {"If-Match": etag})
    assert response.status_code == 200, response.text


def processed(receiver: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = httpx.get(f"{receiver}/log").json()["processed"]
    return found


def control(receiver: str, **state: Any) -> None:
    httpx.post(f"{receiver}/control", json=state).raise_for_status()


def assert_in_order_per_subject(log: list[dict[str, Any]]) -> None:
    versions: dict[str, list[int]] = {}
    for entry in log:
        versions.setdefault(entry["subject"], []).append(entry["version"])
    for subject, seen in versions.items():
        assert seen == sorted(seen), (subject, seen)
    assert len({e["id"] for e in log}) == len(log)
