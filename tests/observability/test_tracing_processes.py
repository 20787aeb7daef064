"""One call through the gateway is one trace across the real processes, and each caller counts its calls.

The gateway and the services run under uvicorn (tests/support/platform.py) exporting spans over OTLP/HTTP to a
receiver in this test process. A read of the budget grid through the gateway crosses three processes (the funding
service checks the programme and its funding areas with the programme service): it must arrive as one trace id,
every hop a CLIENT span in the caller parenting a SERVER span in the callee. (The cockpit view calls funding and
programme side by side, not in a chain.) After one cockpit view the gateway's `/metrics` has `kip_upstream_*`
series per upstream service and route template.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from opentelemetry.proto.trace.v1.trace_pb2 import Span
from prometheus_client.parser import text_string_to_metric_families

from kit import testing
from kit.ids import seed_uuid
from tests.support.otlp import TRACING, Received, Receiver
from tests.support.platform import Platform, installed, running_platform

pytestmark = pytest.mark.skipif(
    not all(installed(s) for s in ("programme", "funding", "gateway")), reason="needs the services and the gateway"
)
PROGRAMME = seed_uuid("programme", "BL-KIP3")
COCKPIT = f"/api/v1/views/canton/programmes/{PROGRAMME}"
GRID = f"/api/funding/v1/programmes/{PROGRAMME}/budget-grid"
CLOSED = "http://127.0.0.1:9"  # nothing listens there


@pytest.fixture(scope="module", params=testing.backends())
def platform(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, receiver: Receiver
) -> Iterator[Platform]:
    """Programme, funding and the gateway, tracing to the receiver (the evaluation service left out)."""
    yield from running_platform(
        request.param,
        tmp_path_factory.mktemp("traces"),
        "obstrace",
        ["programme", "funding"],
        drop=("OTEL_",),
        env=TRACING | {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "GATEWAY_EVALUATION_URL": CLOSED},
    )


def _get(platform: Platform, path: str, **params: int) -> httpx.Response:
    headers = platform.headers("canton-viewer", canton="BL")
    return httpx.get(f"{platform.url('gateway')}{path}", params=params, headers=headers, timeout=20)


def _trace(receiver: Receiver, trace_id: str, services: set[str]) -> list[Received]:
    """The spans of `trace_id` once each of `services` has sent a SERVER span of it (waits up to 10 s)."""
    deadline = time.monotonic() + 10
    while True:
        with receiver.lock:
            spans = [s for s in receiver.spans if s.trace_id == trace_id]
        if services <= {s.service for s in spans if s.kind == Span.SPAN_KIND_SERVER} or time.monotonic() > deadline:
            return spans
        time.sleep(0.1)


def test_one_call_is_one_trace_across_gateway_funding_and_programme(platform: Platform, receiver: Receiver) -> None:
    before = len(receiver.spans)
    response = _get(platform, GRID)
    assert response.status_code == 200, response.text
    # the gateway's own server span: the trace every hop must join
    deadline = time.monotonic() + 10
    roots: list[Received] = []
    while not roots and time.monotonic() < deadline:
        time.sleep(0.1)
        with receiver.lock:
            roots = [
                s
                for s in receiver.spans[before:]
                if s.service == "gateway" and s.kind == Span.SPAN_KIND_SERVER and "/api/" in s.name
            ]
    assert len(roots) == 1, roots
    spans = _trace(receiver, roots[0].trace_id, {"gateway", "funding", "programme"})
    by_id = {s.span_id: s for s in spans}
    servers = {s.service for s in spans if s.kind == Span.SPAN_KIND_SERVER}
    assert servers >= {"gateway", "funding", "programme"}, sorted(servers)

    hops = set()
    for server in (s for s in spans if s.kind == Span.SPAN_KIND_SERVER and s is not roots[0]):
        client = by_id.get(server.parent_id)
        assert client is not None, f"{server} has no parent in the trace"
        assert client.kind == Span.SPAN_KIND_CLIENT and client.service != server.service, (client, server)
        hops.add((client.service, server.service))
    # funding asks the programme service about the programme on the gateway's behalf: three processes, one trace
    assert {("gateway", "funding"), ("funding", "programme")} <= hops, sorted(hops)


def test_the_gateway_counts_its_calls_per_upstream_service_and_route(platform: Platform) -> None:
    assert _get(platform, COCKPIT, year=2025).status_code == 200
    text = httpx.get(f"{platform.url('gateway')}/metrics", timeout=10).text
    calls = {
        (s.labels["upstream"], s.labels["route"])
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "kip_upstream_requests_total" and s.value > 0 and s.labels["status"] != "error"
    }
    timed = {
        s.labels["upstream"]
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "kip_upstream_request_duration_seconds_count" and s.value > 0
    }
    assert {"funding", "programme"} <= {upstream for upstream, _ in calls}, sorted(calls)
    assert {"funding", "programme"} <= timed
    # routes are templates: the programme's id never appears in a label
    assert all(str(PROGRAMME) not in route and route.startswith("/") for _, route in calls), sorted(calls)
    assert any("{id}" in route for _, route in calls), sorted(calls)
