"""Tracing is off unless an OTLP endpoint is configured, and then costs not even an import."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = """
import json, sys
from fastapi import FastAPI
from fastapi.testclient import TestClient
from kit.observability import install_observability
app = FastAPI()
install_observability(app, "probe")
@app.get("/ping")
def ping():
    return {"ok": True}
result = {"tracing": app.state.tracing, "sdk_loaded": "opentelemetry.sdk.trace" in sys.modules,
          "kit_tracing_loaded": "kit.tracing" in sys.modules}
if app.state.tracing:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    result["sdk_provider"] = isinstance(trace.get_tracer_provider(), TracerProvider)
    with TestClient(app) as client:
        result["status"] = client.get("/ping").status_code
    trace.get_tracer_provider().shutdown()
print(json.dumps(result))
"""


def run_probe(**env: str) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", PROBE], env={**clean, **env}, capture_output=True, text=True, timeout=60, check=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_without_an_otlp_endpoint_nothing_of_opentelemetry_is_set_up_or_imported() -> None:
    result = run_probe()
    assert result == {"tracing": False, "sdk_loaded": False, "kit_tracing_loaded": False}


def test_with_an_otlp_endpoint_requests_are_traced_by_the_sdk() -> None:
    # a closed local port: exporting fails quietly, the app keeps answering
    result = run_probe(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9", OTEL_EXPORTER_OTLP_TIMEOUT="1")
    assert result["tracing"] is True
    assert result["sdk_provider"] is True
    assert result["status"] == 200
