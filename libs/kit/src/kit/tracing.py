"""OpenTelemetry tracing, imported only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (see `kit.observability`).

Spans go to the OTLP/HTTP endpoint named by the standard `OTEL_EXPORTER_OTLP_*` variables; the service name is
`OTEL_SERVICE_NAME` or the one the app gives. Incoming requests (FastAPI) get SERVER spans; outgoing calls between
the platform's processes (kit's aiohttp transport under httpx, `kit.upstream`) get CLIENT spans and carry the W3C
`traceparent` of the global propagator, so one trace follows a request from the gateway through every service it
reaches. Other httpx clients (httpx's own transports) are traced by the httpx instrumentation.
"""

from __future__ import annotations

import os
import threading

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from kit import call_tracer

EXCLUDED_URLS = "healthz,readyz,metrics"

_lock = threading.Lock()
_provider: TracerProvider | None = None


def _tracer_provider(service_name: str) -> TracerProvider:
    """One provider per process (the first app's service name wins), installed as the global one."""
    global _provider
    with _lock:
        if _provider is None:
            name = os.environ.get("OTEL_SERVICE_NAME") or service_name
            _provider = TracerProvider(resource=Resource.create({SERVICE_NAME: name}))
            _provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
            trace.set_tracer_provider(_provider)
            HTTPXClientInstrumentor().instrument(tracer_provider=_provider)
            call_tracer.set_tracer(_provider.get_tracer("kit.upstream"))
        return _provider


def setup_tracing(app: FastAPI, service_name: str) -> bool:
    """Trace `app`'s requests and the process's httpx calls; returns True once set up."""
    provider = _tracer_provider(service_name)
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls=EXCLUDED_URLS)
    return True
