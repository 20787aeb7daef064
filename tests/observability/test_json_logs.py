"""Every line every process writes is one JSON object with the request id and, inside a traced request, the trace id.

The gateway and the three services run as real processes under uvicorn (as `make run` starts them), exporting
traces over OTLP to a receiver in this test. They serve a few calls: a listing, a refused token, an invalid
query, a view degraded by a stopped service and a forwarded read of that service (retried once, then 502). Then
every line of every process's output (stdout and stderr, one file per process) must parse as a JSON object with
`request_id` and `trace_id`; the lines written while a request was served carry that request's id, and its
trace id, the same in the gateway and the service the request reached. uvicorn's own lines (start, stop) are
JSON too, and the gateway's reasons for a degraded view and for a retry are lines of the request they concern.
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
from tests.support.otlp import TRACING, Receiver
from tests.support.platform import Platform, installed, running_platform

pytestmark = pytest.mark.skipif(
    not all(installed(s) for s in ("programme", "funding", "evaluation", "gateway")),
    reason="needs the services and the gateway",
)
PROGRAMME = seed_uuid("programme", "BL-KIP3")
PARTS = ("programme", "evaluation", "funding", "gateway")


@pytest.fixture(scope="module", params=testing.backends())
def platform(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, receiver: Receiver
) -> Iterator[Platform]:
    """Every service and the gateway, tracing to the receiver."""
    yield from running_platform(
        request.param,
        tmp_path_factory.mktemp("logs"),
        "obslog",
        drop=("OTEL_", "KIP_LOG_"),
        env=TRACING | {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint},
    )


def _lines(log: Path) -> list[dict[str, Any]]:
    parsed = []
    for number, line in enumerate(log.read_text().splitlines(), 1):
        try:
            value = json.loads(line)
        except ValueError:
            pytest.fail(f"{log.name}:{number} is not JSON: {line!r}")
        assert isinstance(value, dict), f"{log.name}:{number}: {line!r}"
        assert "request_id" in value and "trace_id" in value, f"{log.name}:{number}: {line!r}"
        assert {"time", "level", "logger", "message"} <= set(value), f"{log.name}:{number}: {line!r}"
        parsed.append(value)
    return parsed


def test_every_line_of_every_process_is_json_with_request_and_trace_ids(platform: Platform) -> None:
    gateway = platform.url("gateway")
    ids = {what: uuid.uuid4().hex for what in ("listing", "evaluations", "refused", "invalid", "degraded", "retried")}
    editor = platform.headers("canton-editor", canton="BL")

    def call(what: str, path: str, headers: dict[str, str], **params: Any) -> httpx.Response:
        return client.get(path, params=params, headers={**headers, "X-Request-ID": ids[what]})

    with httpx.Client(base_url=gateway, timeout=20) as client:
        assert client.get("/healthz").status_code == 200
        assert call("listing", "/api/programme/v1/measures", editor).status_code == 200
        assert call("evaluations", "/api/evaluation/v1/evaluations", editor).status_code == 200
        assert call("refused", "/api/programme/v1/measures", {"Authorization": "Bearer x"}).status_code == 401
        assert call("invalid", "/api/funding/v1/budget-lines", editor, year="MMXXV").status_code == 422
        platform.processes["evaluation"].stop(signal.SIGTERM)
        cockpit = call("degraded", f"/api/v1/views/canton/programmes/{PROGRAMME}", editor, year=2025)
        assert cockpit.status_code == 200 and cockpit.json()["degraded"], cockpit.text
        assert call("retried", "/api/evaluation/v1/evaluations", editor).status_code == 502
    platform.stop()

    lines = {name: _lines(platform.processes[name].log) for name in PARTS}
    for name, found in lines.items():
        assert any(line["logger"] == "uvicorn.error" for line in found), f"{name}: uvicorn's own lines are JSON"
        assert any("startup complete" in str(line["message"]) for line in found), name
        served = [line for line in found if line["logger"] == "kip.access" and line["path"].startswith(("/api", "/v1"))]
        assert served, f"{name} logged the requests it served"
        assert all(line["request_id"] and line["trace_id"] for line in served), f"{name}: {served}"

    by_request = {
        what: {name: [line for line in found if line["request_id"] == rid] for name, found in lines.items()}
        for what, rid in ids.items()
    }
    # the gateway's id reaches the service, and one trace spans both processes' lines of the request
    listing = by_request["listing"]
    assert listing["gateway"] and listing["programme"]
    assert {line["trace_id"] for line in listing["gateway"] + listing["programme"]} == {
        listing["gateway"][0]["trace_id"]
    }
    for what in ("refused", "invalid"):
        statuses = {line.get("status") for name in PARTS for line in by_request[what][name]}
        assert {401, 422} & statuses, (what, statuses)
    degraded = [line for line in by_request["degraded"]["gateway"] if "degraded" in str(line["message"])]
    assert degraded and all(line["trace_id"] and line["level"] == "INFO" for line in degraded), degraded
    assert any("evaluation" in str(line["message"]) for line in degraded), degraded
    retried = [line for line in by_request["retried"]["gateway"] if str(line["message"]).startswith("retrying")]
    assert len(retried) == 1 and retried[0]["trace_id"], by_request["retried"]["gateway"]
    # no reason for a degraded view or a retry lost its request (the startup's read of the documents has none)
    reasons = [line for line in lines["gateway"] if "degraded" in line["message"] or "retrying" in line["message"]]
    assert reasons and all(line["request_id"] in ids.values() for line in reasons), reasons
