"""The door against real sockets: a real gateway process in front of a real programme process, on SQLite and, when
`KIP_TEST_POSTGRES_URL` is set, on PostgreSQL.

Clients that send headers and then dawdle over the body hold no admission slot: another caller is answered in its
normal time, the dawdlers get a 408 (or a 429 past the per-caller bound). Headers that dawdle are cut off. Bodies over
the limit are refused with a 413 before they are read, at the gateway and at the service, and do not grow the
gateway. Forwarding headers a client sends are not believed, at the gateway or behind it.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from kit import testing
from kit.ids import seed_uuid
from support.platform import Platform, prepare

PROGRAMME = seed_uuid("programme", "BL-KIP3")
ALD = seed_uuid("partner", "ald")
MAX_IN_FLIGHT = 2
PER_CALLER = 4
BODY_TIMEOUT = 2.0
HEADER_TIMEOUT = 2.0
LIMIT = 1024 * 1024


@pytest.fixture(scope="module", params=testing.backends())
def door(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    platform = prepare(request.param, tmp_path_factory.mktemp(f"door-{request.param}"), "door", ["programme"])
    platform.env.update(
        {
            "GATEWAY_MAX_IN_FLIGHT": str(MAX_IN_FLIGHT),
            "GATEWAY_MAX_UPLOADS_PER_CALLER": str(PER_CALLER),
            "KIP_BODY_READ_TIMEOUT": str(BODY_TIMEOUT),
            "KIP_HEADER_READ_TIMEOUT": str(HEADER_TIMEOUT),
            "KIP_MAX_BODY_BYTES": str(LIMIT),
        }
    )
    try:
        platform.env["KIP_TRUSTED_PROXIES"] = "127.0.0.1"  # as `kip run`: the service believes the local gateway
        platform.start_service("programme", "programme", "PROGRAMME")
        del platform.env["KIP_TRUSTED_PROXIES"]  # the gateway, the edge, believes no one
        platform.start_gateway()
        yield platform
    finally:
        platform.stop()


def _connect(url: str) -> socket.socket:
    parsed = urlparse(url)
    return socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 80), timeout=10)


def _head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: door.test", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _answer(sock: socket.socket, wait: float) -> tuple[int, dict[str, object], float]:
    """Status and JSON body of the answer on `sock`, and how long it took to come; (0, {}, t) if the peer closed."""
    started = time.monotonic()
    sock.settimeout(wait)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return 0, {}, time.monotonic() - started
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    status = int(head.split(b" ")[1])
    return status, json.loads(body) if body else {}, time.monotonic() - started


def _read_time(client: httpx.Client, headers: dict[str, str]) -> float:
    started = time.monotonic()
    response = client.get(f"/api/programme/v1/programmes/{PROGRAMME}", headers=headers)
    assert response.status_code == 200, response.text
    return time.monotonic() - started


def test_stalled_uploads_from_one_partner_hold_no_slot_and_another_caller_is_answered_in_its_normal_time(
    door: Platform,
) -> None:
    sem = door.headers("sem")
    with httpx.Client(base_url=door.url("gateway"), timeout=10) as client:
        normal = max(_read_time(client, sem) for _ in range(3))
        partner = door.token("partner", partner_id=ALD)
        stalled = []
        for _ in range(3 * MAX_IN_FLIGHT):
            sock = _connect(door.url("gateway"))
            headers = {"Authorization": f"Bearer {partner}", "Content-Type": "application/json"}
            sock.sendall(_head("POST", "/api/programme/v1/partners", {**headers, "Content-Length": "5000"}))
            sock.sendall(b'{"canton": "BL", ')  # and nothing more
            stalled.append(sock)
        time.sleep(0.3)
        while_stalled = _read_time(client, sem)
    answers = [_answer(sock, BODY_TIMEOUT + 3) for sock in stalled]
    for sock in stalled:
        sock.close()
    assert while_stalled < normal + 0.5, f"{while_stalled:.3f} s while stalled, {normal:.3f} s normally"
    statuses = sorted(status for status, _, _ in answers)
    assert statuses == [408] * PER_CALLER + [429] * (3 * MAX_IN_FLIGHT - PER_CALLER), statuses
    for status, body, seconds in answers:
        assert body["type"] == ("/problems/body-timeout" if status == 408 else "/problems/too-many-uploads")
        assert seconds < BODY_TIMEOUT + 1.5, seconds


def test_request_headers_that_dawdle_are_cut_off(door: Platform) -> None:
    started = time.monotonic()
    silent = _connect(door.url("gateway"))
    partial = _connect(door.url("gateway"))
    partial.sendall(b"GET /api/programme/v1/programmes HTTP/1.1\r\nHost: door.test\r\n")
    try:
        for sock in (silent, partial):
            status, _, _ = _answer(sock, HEADER_TIMEOUT + 3)
            seconds = time.monotonic() - started
            assert status == 0 and HEADER_TIMEOUT - 0.2 < seconds < HEADER_TIMEOUT + 1.5, (status, seconds)
    finally:
        silent.close()
        partial.close()


@pytest.mark.parametrize("where", ["gateway", "programme"])
def test_a_declared_length_over_the_limit_is_a_413_before_any_of_it_is_read(door: Platform, where: str) -> None:
    path = "/api/programme/v1/partners" if where == "gateway" else "/v1/partners"
    sock = _connect(door.url(where))
    try:
        headers = {**door.headers("canton-editor", canton="BL"), "Content-Length": str(100 * LIMIT)}
        sock.sendall(_head("POST", path, {**headers, "Content-Type": "application/json"}))
        status, body, seconds = _answer(sock, 5)
    finally:
        sock.close()
    assert status == 413 and body["type"] == "/problems/body-too-large", body
    assert str(LIMIT) in str(body["detail"]) and seconds < 1.0


def _chunked_upload(url: str, path: str, headers: dict[str, str], total: int) -> tuple[int, int]:
    """Send up to `total` bytes chunked until an answer comes; the answer's status and the bytes sent by then."""
    sock = _connect(url)
    sent = 0
    try:
        head = {**headers, "Transfer-Encoding": "chunked", "Content-Type": "application/json"}
        sock.sendall(_head("POST", path, head))
        chunk = b" " * 65536
        framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)
        while sent < total:
            if select.select([sock], [], [], 0)[0]:
                break
            try:
                sock.sendall(framed)
            except OSError:
                break
            sent += len(chunk)
        status, _, _ = _answer(sock, 10)
        return status, sent
    finally:
        sock.close()


@pytest.mark.parametrize("where", ["gateway", "programme"])
def test_a_chunked_body_is_refused_with_413_as_soon_as_it_passes_the_limit(door: Platform, where: str) -> None:
    path = "/api/programme/v1/partners" if where == "gateway" else "/v1/partners"
    status, sent = _chunked_upload(door.url(where), path, door.headers("canton-editor", canton="BL"), 100 * LIMIT)
    assert status == 413
    assert sent < 20 * LIMIT, f"{sent} bytes went out before the answer"


def _rss_mib(door: Platform) -> float:
    status = Path(f"/proc/{door.processes['gateway'].popen.pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) / 1024


def test_six_100_mb_bodies_at_once_are_refused_and_do_not_grow_the_gateway(door: Platform) -> None:
    before = _rss_mib(door)
    results: list[tuple[int, int]] = []

    def upload(caller: int) -> None:
        headers = door.headers("canton-editor", canton="BL", subject=f"uploader-{caller}")
        results.append(_chunked_upload(door.url("gateway"), "/api/programme/v1/partners", headers, 100 * 1024 * 1024))

    threads = [threading.Thread(target=upload, args=(caller,)) for caller in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    after = _rss_mib(door)
    assert [status for status, _ in results] == [413] * 6
    assert after < before + 40, f"gateway RSS {before:.0f} MiB before, {after:.0f} MiB after"


def test_a_route_that_takes_files_has_the_larger_limit(door: Platform) -> None:
    """2 MiB is over the ordinary limit but within the file limit: read whole, then refused as an undeclared path."""
    sock = _connect(door.url("gateway"))
    try:
        headers = {**door.headers("canton-editor", canton="BL"), "Content-Length": str(2 * LIMIT)}
        sock.sendall(_head("POST", "/api/programme/v1/imports/partners", headers))
        sock.sendall(b" " * (2 * LIMIT))
        status, body, _ = _answer(sock, 10)
    finally:
        sock.close()
    assert status == 404 and body["type"] == "/problems/not-found", body


def _access_lines(door: Platform, name: str, request_id: str) -> list[dict[str, object]]:
    lines = door.processes[name].log.read_text().splitlines()
    found = [json.loads(line) for line in lines if request_id in line and line.startswith("{")]
    return [line for line in found if line.get("logger") == "kip.access"]


def test_a_clients_forwarding_headers_are_not_believed(door: Platform) -> None:
    request_id = uuid.uuid4().hex
    spoofed = {"X-Forwarded-For": "203.0.113.7", "Forwarded": "for=203.0.113.7", "X-Request-ID": request_id}
    response = httpx.get(
        f"{door.url('gateway')}/api/programme/v1/programmes/{PROGRAMME}",
        headers={**door.headers("sem"), **spoofed},
        timeout=10,
    )
    assert response.status_code == 200
    time.sleep(0.2)  # the log lines are written as the answers finish
    gateway = _access_lines(door, "gateway", request_id)
    service = _access_lines(door, "programme", request_id)
    assert gateway and service, "both processes logged the request"
    assert {line["client"] for line in gateway} == {"127.0.0.1"}, gateway
    assert {line["client"] for line in service} == {"127.0.0.1"}, service
