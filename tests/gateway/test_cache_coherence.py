"""The views' cache kept true by events, between real processes: three services and two gateways in front of them,
each gateway trusting what it keeps for 30 s (`GATEWAY_VIEW_CACHE_TRUST_SECONDS`), so only the events it follows
and its own writes can make a change show. Once with the feeds (long-poll), once with NATS when
`KIP_TEST_NATS_URL` names a server (a server named but unreachable fails the test), on every backend."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kit import testing
from kit.ids import seed_uuid
from tests.gateway.conftest import BL_KIP3, needs
from tests.support.jetstream import NATS_ENV, OwnStream, delete_stream, reachable
from tests.support.platform import SERVICES, Platform, prepare, start

pytestmark = needs("programme", "funding", "evaluation")
COCKPIT = f"/api/v1/views/canton/programmes/{BL_KIP3}"
ME = "/api/v1/views/partners/me"
MODES = ["feed", "nats"] if os.environ.get(NATS_ENV) else ["feed"]


@pytest.fixture(scope="module", params=[(b, m) for b in testing.backends() for m in MODES], ids=lambda p: "-".join(p))
def two_gateways(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    backend, mode = request.param
    tmp: Path = tmp_path_factory.mktemp(f"coherence-{backend}-{mode}")
    platform = prepare(backend, tmp, f"cache_coh_{mode}")
    own = OwnStream.new("cache")
    if mode == "nats":
        reachable()
        platform.env.update(own.env())
    try:
        platform.start_services()
        env = dict(
            platform.env,
            GATEWAY_VIEW_CACHE_TRUST_SECONDS="30",
            GATEWAY_VIEW_CACHE_EVENTS=mode,
            GATEWAY_VIEW_CACHE_FEED_WAIT="5",
            GATEWAY_RATE_LIMIT="1000000/minute",
        )
        env.update({f"GATEWAY_{p}_URL": platform.url(n) for n, _, p in SERVICES})
        for name in ("gateway-a", "gateway-b"):
            platform.processes[name] = start(name, "gateway", env, tmp)
        time.sleep(1.0)  # the followers find the feeds' ends (or subscribe) and become healthy
        yield platform
    finally:
        platform.stop()
        if mode == "nats":
            asyncio.run(delete_stream(own.stream))


def _rename_measure(client: httpx.Client, prefix: str, headers: dict[str, str], title: str) -> None:
    """Change the title of BL KIP 3's first measure, through `client` (a gateway or the programme service)."""
    listed = client.get(f"{prefix}/v1/measures", params={"programme_id": str(BL_KIP3)}, headers=headers)
    assert listed.status_code == 200, listed.text
    measure_id = listed.json()["items"][0]["id"]
    etag = client.get(f"{prefix}/v1/measures/{measure_id}", headers=headers).headers["etag"]
    changed = client.patch(
        f"{prefix}/v1/measures/{measure_id}", json={"title": title}, headers={**headers, "If-Match": etag}
    )
    assert changed.status_code == 200, changed.text


def _shows_within(client: httpx.Client, headers: dict[str, str], text: str, seconds: float) -> float:
    """Seconds after which a cockpit read sent through `client` shows `text`; fails when a read sent `seconds`
    after the start or later does not (the time a read is sent counts, not how long building it takes)."""
    started = time.monotonic()
    while True:
        sent = time.monotonic() - started
        answer = client.get(COCKPIT, params={"year": 2025}, headers=headers)
        assert answer.status_code == 200, answer.text
        if text in answer.text:
            return sent
        assert sent < seconds, f"{text!r} not shown by a read sent {sent:.2f} s after the write"
        time.sleep(0.05)


def _warm(client: httpx.Client, headers: dict[str, str]) -> httpx.Response:
    """Read the cockpit twice: the second answer comes from what the first one kept."""
    first = client.get(COCKPIT, params={"year": 2025}, headers=headers)
    assert first.status_code == 200, first.text
    second = client.get(COCKPIT, params={"year": 2025}, headers=headers)
    assert second.status_code == 200 and second.headers["etag"] == first.headers["etag"]
    return second


def test_a_write_through_the_gateway_shows_to_its_writer_at_once(two_gateways: Platform) -> None:
    headers = two_gateways.headers("canton-editor", canton="BL")
    with httpx.Client(base_url=two_gateways.url("gateway-a"), timeout=10) as a:
        _warm(a, headers)
        _rename_measure(a, "/api/programme", headers, "Eigene Änderung")
        after = a.get(COCKPIT, params={"year": 2025}, headers=headers)
    assert after.status_code == 200 and "Eigene Änderung" in after.text


def test_a_write_straight_to_a_service_shows_in_the_next_view_within_a_second(two_gateways: Platform) -> None:
    headers = two_gateways.headers("canton-editor", canton="BL")
    with (
        httpx.Client(base_url=two_gateways.url("gateway-a"), timeout=10) as a,
        httpx.Client(base_url=two_gateways.url("programme"), timeout=10) as programme,
    ):
        _warm(a, headers)
        _rename_measure(programme, "", headers, "Direkt am Dienst")
        _shows_within(a, headers, "Direkt am Dienst", 1.0)


def test_two_gateways_stay_coherent(two_gateways: Platform) -> None:
    writer = two_gateways.headers("canton-editor", canton="BL")
    reader = two_gateways.headers("canton-viewer", canton="BL")
    with (
        httpx.Client(base_url=two_gateways.url("gateway-a"), timeout=10) as a,
        httpx.Client(base_url=two_gateways.url("gateway-b"), timeout=10) as b,
    ):
        _warm(b, reader)
        _rename_measure(a, "/api/programme", writer, "Über Tor A")
        _shows_within(b, reader, "Über Tor A", 1.0)


def test_a_view_answers_304_until_a_part_changes_then_200_with_a_new_etag(two_gateways: Platform) -> None:
    headers = two_gateways.headers("canton-viewer", canton="BL")
    editor = two_gateways.headers("canton-editor", canton="BL")
    with (
        httpx.Client(base_url=two_gateways.url("gateway-b"), timeout=10) as b,
        httpx.Client(base_url=two_gateways.url("programme"), timeout=10) as programme,
    ):
        etag = _warm(b, headers).headers["etag"]
        same = b.get(COCKPIT, params={"year": 2025}, headers={**headers, "If-None-Match": etag})
        assert same.status_code == 304 and same.headers["etag"] == etag and same.content == b""
        _rename_measure(programme, "", editor, "Neues Etikett")
        written = time.monotonic()
        while True:
            late = time.monotonic() - written >= 1.0  # a read sent a second after the write must show it
            answer = b.get(COCKPIT, params={"year": 2025}, headers={**headers, "If-None-Match": etag})
            if answer.status_code == 200 or late:
                break
            assert answer.status_code == 304
            time.sleep(0.05)
    assert answer.status_code == 200 and "Neues Etikett" in answer.text
    assert answer.headers["etag"] != etag


def test_audiences_never_get_each_others_kept_answers(two_gateways: Platform) -> None:
    canton = two_gateways.headers("canton-viewer", canton="BL")
    with httpx.Client(base_url=two_gateways.url("gateway-a"), timeout=10) as a:
        kept = _warm(a, canton)
        for other, status in (
            (two_gateways.headers("partner", partner_id=seed_uuid("partner", "ald")), 403),
            (two_gateways.headers("canton-viewer", canton="ZH"), 404),
        ):
            refused = a.get(COCKPIT, params={"year": 2025}, headers={**other, "If-None-Match": kept.headers["etag"]})
            assert refused.status_code == status and "etag" not in refused.headers
        sem = a.get(COCKPIT, params={"year": 2025}, headers=two_gateways.headers("sem"))
        assert sem.status_code == 200 and sem.headers["etag"] != kept.headers["etag"]
        answers: dict[str, Any] = {}
        for partner in ("ald", "srk-bl", "ald", "srk-bl"):  # the second round comes from what the first kept
            answer = a.get(ME, headers=two_gateways.headers("partner", partner_id=seed_uuid("partner", partner)))
            assert answer.status_code == 200, answer.text
            assert answer.json()["partner"]["slug"] == partner
            answers.setdefault(partner, set()).add(answer.headers["etag"])
    assert len(answers["ald"]) == len(answers["srk-bl"]) == 1 and answers["ald"] != answers["srk-bl"]
