"""Seeing what a process runs: one JSON log line per request, Prometheus `/metrics`, optional OpenTelemetry.

`install_observability(app, service_name)` is the one entry point; every service gets it through
`create_service_app`, and the gateway calls it itself. What it adds:

- a pure ASGI middleware that writes one JSON line per request to the `kip.access` logger: request id (the
  `X-Request-ID` that asgi-correlation-id accepted or generated, so the gateway's id reaches the services' lines),
  the caller's role (`anonymous` before a token was verified), method, route template, path, status, duration.
  Each request also gets the platform's own id (`platform_request_id`, made here, never taken from a header): the
  one the audit trail records, since a caller can put anything in `X-Request-ID`.
  Headers, query strings and bodies are never logged, so no token can leak. Probes and `/metrics` are logged at
  DEBUG so the orchestrator's polling does not drown the real traffic;
- `/metrics` (hidden from the OpenAPI document) with the app's own registry: the process's CPU seconds, resident
  memory, open file descriptors and start time, requests and latency by route template and status, the database
  pool's checked-out connections when the app has an engine, and the calls made to other services while serving
  (`kip_upstream_*`, recorded by kit.upstream's transport);
- OpenTelemetry tracing, set up only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (`kit.tracing` is imported only then).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import uuid
from contextvars import ContextVar
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from asgi_correlation_id import correlation_id
from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.logs import configure_logging
from kit.logs import json_formatter as json_formatter  # the format, for tests that capture one logger

if TYPE_CHECKING:
    import httpx

ACCESS_LOGGER = "kip.access"
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

access_log = logging.getLogger(ACCESS_LOGGER)
_platform_request_id: ContextVar[str | None] = ContextVar("kip_platform_request_id", default=None)
#: The metrics of the app serving the current request; outside a request, those of the last app installed.
_serving_metrics: ContextVar[Metrics | None] = ContextVar("kip_serving_metrics", default=None)
_process_metrics: list[Metrics] = []
#: Path segments that are ids (UUIDs, numbers): an outgoing path's template replaces them with `{id}`.
_ID_SEGMENT = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}|[0-9]+")


def platform_request_id() -> str | None:
    """The platform's own id of the request being served (None outside a request, e.g. `kip seed`)."""
    return _platform_request_id.get()


class Metrics:
    """One app's Prometheus registry and the instruments on it."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry(auto_describe=True)
        # The process itself, as every Prometheus client library names it: `process_cpu_seconds_total`,
        # `process_resident_memory_bytes`, `process_open_fds`, `process_start_time_seconds` (from /proc), and
        # the Python version (`python_info`).
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.requests = Counter(
            "kip_http_requests",
            "HTTP requests answered, by route template and status.",
            ["service", "method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "kip_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template and status.",
            ["service", "method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.upstream_requests = Counter(
            "kip_upstream_requests",
            "Calls this process made to another KIP service, by upstream, route template and status "
            "(`error` when no answer came).",
            ["service", "upstream", "method", "route", "status"],
            registry=self.registry,
        )
        self.upstream_latency = Histogram(
            "kip_upstream_request_duration_seconds",
            "Time another KIP service took to answer this process (until its answer's headers).",
            ["service", "upstream", "method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def watch_pool(self, app: FastAPI) -> None:
        """Gauges that read the app's engine pool (`app.state.engine`) at scrape time; 0 before the lifespan."""

        def pool_value(attribute: str) -> float:
            engine = getattr(app.state, "engine", None)
            method = getattr(getattr(engine, "pool", None), attribute, None)
            return float(method()) if callable(method) else 0.0

        checked_out = Gauge(
            "kip_db_pool_checked_out_connections",
            "Database connections currently checked out of the pool.",
            ["service"],
            registry=self.registry,
        )
        checked_out.labels(self.service).set_function(lambda: pool_value("checkedout"))
        size = Gauge(
            "kip_db_pool_size", "Connections the database pool keeps open.", ["service"], registry=self.registry
        )
        size.labels(self.service).set_function(lambda: pool_value("size"))


class AccessLogMiddleware:
    """Times each HTTP request, then writes its log line and its metrics."""

    def __init__(self, app: ASGIApp, *, service: str, metrics: Metrics) -> None:
        self.app = app
        self.service = service
        self.metrics = metrics
        self._instruments: dict[tuple[str, str, str, str], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})
        own_id = uuid.uuid4().hex
        token = _platform_request_id.set(own_id)
        serving = _serving_metrics.set(self.metrics)
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            self._record(scope, status, time.perf_counter() - started, own_id)
            _platform_request_id.reset(token)
            _serving_metrics.reset(serving)

    def _record(self, scope: Scope, status: int, seconds: float, own_id: str) -> None:
        route = getattr(scope.get("route"), "path", None) or "<unmatched>"
        method = str(scope.get("method", ""))
        labels = (self.service, method, route, str(status))
        instruments = self._instruments.get(labels)
        if instruments is None:  # one pair per route, method and status, as Prometheus keeps them anyway
            instruments = (self.metrics.requests.labels(*labels), self.metrics.latency.labels(*labels))
            self._instruments[labels] = instruments
        instruments[0].inc()
        instruments[1].observe(seconds)
        principal = scope.get("state", {}).get("principal")
        role = getattr(principal, "role", None)
        fields: dict[str, Any] = {
            "service": self.service,
            "request_id": correlation_id.get() or _header(scope, b"x-request-id"),
            "platform_request_id": own_id,
            "role": str(getattr(role, "value", role)) if role is not None else "anonymous",
            "client": (scope.get("client") or ("",))[0],  # the peer, or what a trusted proxy said (kit.proxies)
            "method": method,
            "route": route,
            "path": scope.get("path", ""),
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
        }
        trace_id = _current_trace_id()
        if trace_id:
            fields["trace_id"] = trace_id
        level = logging.DEBUG if scope.get("path") in QUIET_PATHS else logging.INFO
        access_log.log(level, "request", extra=fields)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _current_trace_id() -> str | None:
    """The active span's trace id when tracing is on; nothing is imported when it is off."""
    if "opentelemetry.trace" not in sys.modules:
        return None
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


def tracing_requested() -> bool:
    return bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip())


def install_observability(app: FastAPI, service_name: str, metrics: Metrics | None = None) -> Metrics:
    """Add the access log, `/metrics` and (when an OTLP endpoint is configured) tracing to `app`.

    Call it before the request-id middleware is added, so the log line sees the id that middleware settled on.
    Middleware added before it runs inside the access log (timed and logged with the request); pass its
    `metrics` when that middleware has instruments of its own.
    """
    configure_logging()
    metrics = metrics or Metrics(service_name)
    metrics.watch_pool(app)
    app.state.metrics = metrics
    _process_metrics[:] = [metrics]
    app.add_middleware(AccessLogMiddleware, service=service_name, metrics=metrics)

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    app.state.tracing = False
    if tracing_requested():
        from kit.tracing import setup_tracing

        app.state.tracing = setup_tracing(app, service_name)
    return metrics


@lru_cache(maxsize=4096)
def upstream_route(path: str) -> str:
    """An outgoing call's path as a route template: its id segments become `{id}` (bounded label values)."""
    return "/".join("{id}" if _ID_SEGMENT.fullmatch(part) else part for part in path.split("/"))


def record_upstream_call(upstream: str, method: str, route: str, status: str, seconds: float | None) -> None:
    """Count (and time, when an answer came) one call to `upstream`, in the metrics of the app being served."""
    metrics = _serving_metrics.get() or (_process_metrics[0] if _process_metrics else None)
    if metrics is None:
        return
    metrics.upstream_requests.labels(metrics.service, upstream, method, route, status).inc()
    if seconds is not None:
        metrics.upstream_latency.labels(metrics.service, upstream, method, route).observe(seconds)


def instrument_upstream_client(client: httpx.AsyncClient, upstream: str) -> None:
    """Count and time the calls of a `client` whose transport is not kit's own (kit's records its calls itself)."""

    async def on_request(request: httpx.Request) -> None:
        request.extensions["kip_started"] = time.perf_counter()

    async def on_response(response: httpx.Response) -> None:
        request = response.request
        seconds = time.perf_counter() - request.extensions.get("kip_started", time.perf_counter())
        route = upstream_route(request.url.path)
        record_upstream_call(upstream, request.method, route, str(response.status_code), seconds)

    client.event_hooks["request"].append(on_request)
    client.event_hooks["response"].append(on_response)


def request_metrics(request: Request) -> Metrics | None:
    """The app's `Metrics`, for code that records its own."""
    return getattr(request.app.state, "metrics", None)
