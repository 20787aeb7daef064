"""Faults while the gateway is under load: a service made slow, made to answer garbage, reset or killed.

Views come back degraded or as a 502/504 problem within their timeout (plus 100 ms), never a 500 and never a
hang; GETs are retried at most once, writes never. Every test runs on SQLite and, when `KIP_TEST_POSTGRES_URL` is
set, on PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from faults.conftest import SLOWEST, VIEW_TIMEOUT

from kit import testing
from kit.ids import seed_uuid
from support.platform import Platform, prepare
from support.toxic import Toxic

PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))
ALD = seed_uuid("partner", "ald")
#: How far past a view's timeout an answer may arrive, measured at the client. `make chaos` holds the
#: platform to 100 ms on a quiet machine; the bounded run in `make test` shares two cores with the whole suite
#: and allows one second, which still tells a bounded answer from a hang.
SLACK = float(os.environ.get("KIP_FAULT_SLACK", "1.0"))
ROUNDS = int(os.environ.get("KIP_FAULT_ROUNDS", "3"))
#: The gateway's resident memory stays under this whatever a service answers (answers are read up to
#: GATEWAY_MAX_UPSTREAM_BODY_BYTES, 8 MiB, each): its peak since it started (`VmHWM` in /proc), not only now.
RSS_BOUND_MIB = 400
#: The user property under which a test records the gateway's resident memory: (backend, now MiB, peak MiB).
GATEWAY_RSS = "gateway_rss"


def gateway_rss_mib(platform: Platform, field: str = "VmRSS") -> float:
    status = Path(f"/proc/{platform.processes['gateway'].popen.pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith(f"{field}:"))) / 1024


def assert_gateway_small(request: pytest.FixtureRequest, platform: Platform) -> None:
    now, peak = gateway_rss_mib(platform), gateway_rss_mib(platform, "VmHWM")
    request.node.user_properties.append((GATEWAY_RSS, (platform.backend, now, peak)))
    assert peak < RSS_BOUND_MIB, f"gateway RSS peaked at {peak:.0f} MiB (now {now:.0f} MiB)"


@dataclass
class Outcome:
    path: str
    status: int
    seconds: float
    degraded: list[str]
    problem_type: str | None


def views(platform: Platform) -> list[tuple[str, dict[str, str]]]:
    canton = platform.headers("canton-viewer", canton="BL")
    return [
        (f"/api/v1/views/canton/programmes/{PROGRAMME}", canton),
        ("/api/v1/views/sem/programmes?period=KIP3&year=2025", platform.headers("sem")),
        ("/api/v1/views/partners/me", platform.headers("partner", partner_id=ALD)),
    ]


def call(client: httpx.Client, path: str, headers: dict[str, str]) -> Outcome:
    started = time.perf_counter()
    response = client.get(path, headers=headers)
    seconds = time.perf_counter() - started
    body = response.json() if response.headers.get("content-type", "").endswith("json") else {}
    degraded = body.get("degraded", []) if isinstance(body, dict) and response.status_code == 200 else []
    return Outcome(
        path, response.status_code, seconds, list(degraded), body.get("type") if isinstance(body, dict) else None
    )


#: The client of one of `hammer`'s processes, made by the pool's initializer.
_client: httpx.Client | None = None


def _make_client(base_url: str) -> None:
    global _client
    _client = httpx.Client(base_url=base_url, timeout=VIEW_TIMEOUT * 3)


def _call(job: tuple[str, dict[str, str]]) -> Outcome:
    assert _client is not None
    return call(_client, *job)


def hammer(platform: Platform, rounds: int) -> list[Outcome]:
    """Every view, `rounds` times, from 6 concurrent clients, each in a process of its own.

    Processes, not threads: six threads share one interpreter, and when six answers arrive at once the last waits
    for the others' parsing, time the platform never spent. The clients are made before any clock starts (building
    an httpx client costs ~20 ms of CPU)."""
    jobs = views(platform) * rounds
    with multiprocessing.get_context("fork").Pool(
        6, initializer=_make_client, initargs=(platform.url("gateway"),)
    ) as pool:
        return pool.map(_call, jobs, chunksize=1)


def assert_bounded(request: pytest.FixtureRequest, platform: Platform, outcomes: list[Outcome], fault: str) -> None:
    """Every answer a 200, 502 or 504 within the view's timeout plus the slack; the slowest is recorded for the
    run's summary (conftest) before the bound is checked, so a miss shows by how much."""
    assert outcomes
    slowest = max(outcomes, key=lambda o: o.seconds)
    request.node.user_properties.append(
        (SLOWEST, (platform.backend, fault, slowest.path, slowest.status, slowest.seconds))
    )
    for outcome in outcomes:
        assert outcome.status in (200, 502, 504), f"{fault}: {outcome}"
        assert outcome.seconds <= VIEW_TIMEOUT + SLACK, f"{fault}: {outcome.path} took {outcome.seconds:.3f} s"


@pytest.mark.parametrize("service", ["funding", "evaluation"])
@pytest.mark.parametrize("mode", ["delay", "garbage", "reset", "huge", "drip"])
def test_a_misbehaving_service_degrades_views_within_their_timeout(
    request: pytest.FixtureRequest, faulty: tuple[Platform, dict[str, Toxic]], service: str, mode: str
) -> None:
    platform, toxics = faulty
    toxics[service].set(mode, delay=VIEW_TIMEOUT * 2)
    try:
        outcomes = hammer(platform, rounds=ROUNDS)
    finally:
        toxics[service].set("pass")
    assert_bounded(request, platform, outcomes, f"{service} {mode}")
    assert_gateway_small(request, platform)
    assert any(o.status in (502, 504) or o.degraded for o in outcomes), "the fault was noticed"
    healthy = hammer(platform, rounds=1)
    assert all(o.status == 200 and not o.degraded for o in healthy), healthy


def test_a_forwarded_get_is_retried_at_most_once_and_a_write_never(faulty: tuple[Platform, dict[str, Toxic]]) -> None:
    platform, toxics = faulty
    base = platform.url("gateway")
    headers = platform.headers("canton-editor", canton="BL")
    # The service's OpenAPI document (what may be forwarded) is read before the fault, so only the calls count.
    assert httpx.get(f"{base}/api/programme/v1/programmes", headers=headers, timeout=10).status_code == 200
    toxics["programme"].set("reset")
    try:
        got = httpx.get(f"{base}/api/programme/v1/programmes", headers=headers, timeout=10)
        gets = toxics["programme"].connections
        toxics["programme"].set("reset")
        posted = httpx.post(
            f"{base}/api/programme/v1/partners",
            headers=headers,
            timeout=10,
            json={"canton": "BL", "slug": "reset-test", "name": "R", "short_name": "R", "kind": "association"},
        )
        posts = toxics["programme"].connections
    finally:
        toxics["programme"].set("pass")
    assert got.status_code == 502 and got.json()["type"].startswith("/problems/")
    assert posted.status_code == 502
    assert 1 <= gets <= 2, gets
    assert posts == 1, posts


@pytest.mark.parametrize("service", ["funding", "programme"])
def test_a_huge_answer_is_cut_off_when_forwarded_and_the_gateway_stays_small(
    request: pytest.FixtureRequest, faulty: tuple[Platform, dict[str, Toxic]], service: str
) -> None:
    platform, toxics = faulty
    base = platform.url("gateway")
    headers = platform.headers("sem")
    path = "/v1/programmes" if service == "programme" else "/v1/agreements"
    for _ in range(5):  # the first call also reads the service's OpenAPI document, within the 1 s call budget
        if httpx.get(f"{base}/api/{service}{path}", headers=headers, timeout=10).status_code != 504:
            break
    toxics[service].set("huge")
    try:
        started = time.perf_counter()
        with httpx.stream("GET", f"{base}/api/{service}{path}", headers=headers, timeout=10) as response:
            received = 0
            try:
                for chunk in response.iter_raw():
                    received += len(chunk)
            except httpx.HTTPError:
                pass  # the gateway cut the connection past its bound: the answer does not look whole
        seconds = time.perf_counter() - started
    finally:
        toxics[service].set("pass")
    assert received <= 8 * 1024 * 1024 + 65536, received
    assert seconds < 10
    assert_gateway_small(request, platform)


def test_stalled_uploads_from_one_partner_leave_the_views_within_their_timeout(
    request: pytest.FixtureRequest, faulty: tuple[Platform, dict[str, Toxic]]
) -> None:
    """3 x GATEWAY_MAX_IN_FLIGHT (8) connections of one partner send headers and part of a body, then nothing."""
    platform, _ = faulty
    gateway = urlparse(platform.url("gateway"))
    token = platform.token("partner", partner_id=ALD)
    stalled = []
    try:
        for _ in range(3 * 8):
            sock = socket.create_connection((gateway.hostname or "127.0.0.1", gateway.port or 80), timeout=5)
            sock.sendall(
                b"POST /api/programme/v1/partners HTTP/1.1\r\nHost: faults\r\nContent-Type: application/json\r\n"
                + f"Authorization: Bearer {token}\r\nContent-Length: 5000\r\n\r\n".encode()
                + b'{"canton": "BL", '
            )
            stalled.append(sock)
        outcomes = hammer(platform, rounds=ROUNDS)
    finally:
        for sock in stalled:
            sock.close()
    assert_bounded(request, platform, outcomes, "stalled uploads")
    assert_gateway_small(request, platform)
    assert all(o.status == 200 and not o.degraded for o in outcomes), outcomes


def test_a_killed_service_answers_502_and_views_degrade(
    request: pytest.FixtureRequest, faulty: tuple[Platform, dict[str, Toxic]]
) -> None:
    platform, _ = faulty
    platform.processes["evaluation"].stop(signal.SIGKILL)
    try:
        outcomes = hammer(platform, rounds=ROUNDS)
        assert_bounded(request, platform, outcomes, "evaluation killed")
        assert any(o.degraded or o.status == 502 for o in outcomes)
        forwarded = httpx.get(
            f"{platform.url('gateway')}/api/evaluation/v1/evaluations", headers=platform.headers("sem"), timeout=10
        )
        assert forwarded.status_code == 502
        assert "evaluation" in forwarded.json()["detail"]
    finally:
        port = int(platform.url("evaluation").rsplit(":", 1)[1])
        platform.start_service("evaluation", "evaluation", "EVALUATION", port=port)


@pytest.mark.parametrize("backend", testing.backends())
def test_no_acknowledged_write_is_lost_when_a_service_is_killed(
    tmp_path_factory: pytest.TempPathFactory, backend: str
) -> None:
    platform = prepare(backend, tmp_path_factory.mktemp(f"kill-{backend}"), f"kill_{backend}", ["programme"])
    try:
        service = platform.start_service("programme", "programme", "PROGRAMME")
        headers = platform.headers("canton-editor", canton="BL")
        acknowledged: list[str] = []
        killed = False
        with httpx.Client(base_url=service.url, headers=headers, timeout=5) as client:
            for i in range(400):
                if i == 150:
                    service.stop(signal.SIGKILL)
                    killed = True
                try:
                    response = client.post(
                        "/v1/partners",
                        json={
                            "canton": "BL",
                            "slug": f"p-{uuid.uuid4().hex[:12]}",
                            "name": f"Partner {i}",
                            "short_name": f"P{i}",
                            "kind": "association",
                        },
                    )
                except httpx.HTTPError:
                    break
                assert response.status_code == 201, response.text
                acknowledged.append(response.json()["id"])
        assert killed and len(acknowledged) == 150
        port = int(service.url.rsplit(":", 1)[1])
        restarted = platform.start_service("programme", "programme", "PROGRAMME", port=port)
        listing = httpx.get(f"{restarted.url}/v1/partners", params={"limit": 500}, headers=headers).json()
        present = {p["id"] for p in listing["items"]}
        assert set(acknowledged) <= present, f"{backend}: lost {set(acknowledged) - present}"
    finally:
        platform.stop()
