"""Every line every process writes is one JSON object, uvicorn's and the gateway's reasons included.

The real processes (services and the gateway under uvicorn, as `make run` starts them) serve a few calls,
one of them a view degraded by a stopped service; then every line of every process's stdout and stderr (one file
per process) must parse as a JSON object carrying `request_id` and `trace_id`.
"""

from __future__ import annotations

import json
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kit import testing
from kit.ids import seed_uuid
from tests.support.platform import SERVICES, Platform, installed, prepare

pytestmark = pytest.mark.skipif(
    not all(installed(s) for s in ("programme", "funding", "gateway")), reason="needs the services and the gateway"
)
PROGRAMME = seed_uuid("programme", "BL-KIP3")
CLOSED = "http://127.0.0.1:9"  # nothing listens there


@pytest.fixture(scope="module", params=testing.backends())
def platform(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """Programme, funding and the gateway (the evaluation service is left out: a view's part the less)."""
    running = prepare(request.param, tmp_path_factory.mktemp("logs"), "obslog", ["programme", "funding"])
    running.env["GATEWAY_EVALUATION_URL"] = CLOSED
    try:
        for name, package, prefix in SERVICES:
            if name in running.database_urls:
                running.start_service(name, package, prefix)
        running.start_gateway()
        yield running
    finally:
        running.stop()


def _lines(log: Path) -> list[dict[str, Any]]:
    parsed = []
    for number, line in enumerate(log.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            pytest.fail(f"{log.name}:{number} is not JSON: {line!r}")
        assert isinstance(value, dict), f"{log.name}:{number}: {line!r}"
        assert "request_id" in value and "trace_id" in value, f"{log.name}:{number}: {line!r}"
        parsed.append(value)
    return parsed


def test_every_line_of_every_process_is_json_with_request_and_trace_ids(platform: Platform) -> None:
    gateway = platform.url("gateway")
    listing, degrading = uuid.uuid4().hex, uuid.uuid4().hex
    editor = platform.headers("canton-editor", canton="BL")
    with httpx.Client(base_url=gateway, timeout=15) as client:
        assert client.get("/healthz").status_code == 200
        listed = client.get("/api/programme/v1/measures", headers={**editor, "X-Request-ID": listing})
        assert listed.status_code == 200
        assert client.get("/api/programme/v1/measures", headers={"Authorization": "Bearer x"}).status_code == 401
        platform.processes["funding"].stop(signal.SIGTERM)
        cockpit = client.get(
            f"/api/v1/views/canton/programmes/{PROGRAMME}",
            params={"year": 2025},
            headers={**editor, "X-Request-ID": degrading},
        )
        assert cockpit.status_code == 200 and cockpit.json()["degraded"]
    platform.stop()

    lines = {name: _lines(process.log) for name, process in platform.processes.items()}
    assert all(lines.values()), "every process wrote something"
    for name, found in lines.items():
        started = [line for line in found if line["logger"].startswith("uvicorn")]
        assert started, f"{name}: uvicorn's own lines are JSON too"
    gateway_lines = lines["gateway"]
    assert any(line.get("request_id") == listing for line in lines["programme"])
    degraded = [line for line in gateway_lines if "degraded" in str(line.get("message"))]
    assert degraded and all(line["request_id"] == degrading for line in degraded)
