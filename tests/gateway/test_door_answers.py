"""The door on the way out, against real sockets: a real gateway process in front of a real programme process behind
a misbehaving proxy (`support.toxic`), on SQLite and, when `KIP_TEST_POSTGRES_URL` is set, on PostgreSQL.

A client that stops reading its answer gives its admission slot back (another caller is served) and is cut off
after `GATEWAY_SEND_TIMEOUT`; a forwarded answer cut at its bound, or a client that goes away in the middle of one,
is one log line, not a traceback; `/readyz` reads a service's answer within its bounds.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from kit import testing
from support.platform import Platform, prepare, start
from support.toxic import Toxic

SEND_HOLD = 0.5
SEND_TIMEOUT = 3.0
ADMISSION_TIMEOUT = 4.0
PATH = "/api/programme/v1/programmes"
#: What the gateway's log must not hold after an expected cut.
CRASH_MARKS = ("Traceback", "Exception in ASGI application", "without completing response", "unhandled error")


@pytest.fixture(scope="module", params=testing.backends())
def gateway(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Platform, Toxic]]:
    backend: str = request.param
    platform = prepare(backend, tmp_path_factory.mktemp(f"answers-{backend}"), "answers", ["programme"])
    toxic: Toxic | None = None
    try:
        platform.start_service("programme", "programme", "PROGRAMME")
        url = urlparse(platform.url("programme"))
        toxic = Toxic(url.hostname or "127.0.0.1", url.port or 80).start()
        env = dict(platform.env)
        env.update(
            {
                "GATEWAY_PROGRAMME_URL": toxic.url,
                "GATEWAY_MAX_IN_FLIGHT": "1",
                "GATEWAY_ADMISSION_TIMEOUT": str(ADMISSION_TIMEOUT),
                "GATEWAY_ADMISSION_SEND_HOLD": str(SEND_HOLD),
                "GATEWAY_SEND_TIMEOUT": str(SEND_TIMEOUT),
                "GATEWAY_PROGRAMME_TIMEOUT": "30",
            }
        )
        platform.processes["gateway"] = start("gateway", "gateway", env, platform.tmp)
        headers = platform.headers("sem")
        # The programme's OpenAPI document (what may be forwarded) is read before any fault.
        assert httpx.get(f"{platform.url('gateway')}{PATH}", headers=headers, timeout=10).status_code == 200
        yield platform, toxic
    finally:
        platform.stop()
        if toxic is not None:
            toxic.stop()


def _log_from(platform: Platform) -> tuple[Path, int]:
    log = platform.processes["gateway"].log
    return log, log.stat().st_size


def _new_lines(mark: tuple[Path, int]) -> str:
    log, offset = mark
    time.sleep(0.3)  # the gateway's last lines reach the file
    return log.read_bytes()[offset:].decode("utf-8", "replace")


def _request(platform: Platform, path: str, receive_buffer: int | None = None) -> socket.socket:
    gateway = urlparse(platform.url("gateway"))
    sock = socket.socket()
    if receive_buffer:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)  # before connecting: no autotuning
    sock.settimeout(10)
    sock.connect((gateway.hostname or "127.0.0.1", gateway.port or 80))
    token = platform.headers("sem")["Authorization"]
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: answers\r\nAuthorization: {token}\r\n\r\n".encode())
    return sock


def _drain(sock: socket.socket, wait: float) -> tuple[int, bool]:
    """Bytes read until the peer closes (True) or nothing came for `wait` seconds (False)."""
    sock.settimeout(wait)
    received = 0
    try:
        while chunk := sock.recv(1 << 20):
            received += len(chunk)
    except TimeoutError:
        return received, False
    except OSError:
        pass
    return received, True


def test_a_client_that_stops_reading_gives_its_slot_back_and_is_cut_off(gateway: tuple[Platform, Toxic]) -> None:
    """One admission slot; a client asks for a forwarded answer of 64 MB (cut at 8 MiB) with a 4 KiB receive
    buffer and reads nothing: the gateway's sending waits on it. Another caller is answered within the hold."""
    platform, toxic = gateway
    toxic.set("huge")
    mark = _log_from(platform)
    try:
        slow = _request(platform, PATH, receive_buffer=4096)
        time.sleep(SEND_HOLD + 1.0)  # the answer has begun and the sending waits on the client
        started = time.monotonic()
        other = httpx.get(
            f"{platform.url('gateway')}/api/nosuch/v1/anything", headers=platform.headers("sem"), timeout=10
        )
        waited = time.monotonic() - started
        time.sleep(SEND_TIMEOUT)
        received, closed = _drain(slow, 5)
        slow.close()
    finally:
        toxic.set("pass")
    assert other.status_code == 404, other.text
    assert waited < SEND_HOLD + 1.0, f"another caller waited {waited:.3f} s for the slot"
    assert closed and received < 8 * 1024 * 1024, (received, closed)
    lines = _new_lines(mark)
    assert "read nothing of the answer" in lines
    assert not any(m in lines for m in CRASH_MARKS), lines[-3000:]


def test_a_forwarded_answer_cut_at_its_bound_is_one_log_line(gateway: tuple[Platform, Toxic]) -> None:
    platform, toxic = gateway
    toxic.set("huge")
    mark = _log_from(platform)
    try:
        sock = _request(platform, PATH)
        received, closed = _drain(sock, 10)
        sock.close()
    finally:
        toxic.set("pass")
    assert closed and 7 * 1024 * 1024 <= received <= 8 * 1024 * 1024 + 65536, received
    lines = _new_lines(mark)
    assert "cut the begun answer to GET /api/programme/v1/programmes" in lines
    assert "more than 8388608 bytes" in lines
    assert not any(m in lines for m in CRASH_MARKS), lines[-3000:]


def test_a_client_that_goes_away_in_the_middle_of_an_answer_is_no_crash(gateway: tuple[Platform, Toxic]) -> None:
    platform, toxic = gateway
    toxic.set("drip")
    mark = _log_from(platform)
    try:
        sock = _request(platform, PATH)
        sock.settimeout(5)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        sock.close()
        time.sleep(1.0)
        after = httpx.get(f"{platform.url('gateway')}/api/nosuch/v1/x", headers=platform.headers("sem"), timeout=10)
    finally:
        toxic.set("pass")
    assert after.status_code == 404
    lines = _new_lines(mark)
    assert not any(m in lines for m in CRASH_MARKS), lines[-3000:]


@pytest.mark.parametrize("mode", ["huge", "drip"])
def test_readiness_reads_a_services_answer_within_its_bounds(gateway: tuple[Platform, Toxic], mode: str) -> None:
    platform, toxic = gateway
    toxic.set(mode)
    try:
        started = time.monotonic()
        response = httpx.get(f"{platform.url('gateway')}/readyz", timeout=30)
        seconds = time.monotonic() - started
    finally:
        toxic.set("pass")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["programme"] in ("upstream-too-large", "unreachable: timeout"), body
    assert seconds < 2.0 + 1.0, seconds
