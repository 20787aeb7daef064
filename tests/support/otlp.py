"""An OpenTelemetry trace receiver on loopback (OTLP/HTTP, protobuf) for the tests of real processes."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest


@dataclass(frozen=True)
class Received:
    service: str
    trace_id: str
    span_id: str
    parent_id: str
    kind: int
    name: str


class Receiver(ThreadingHTTPServer):
    """An OTLP/HTTP trace receiver on loopback: keeps every span POSTed to /v1/traces (protobuf)."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.spans: list[Received] = []
        self.lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        export = ExportTraceServiceRequest.FromString(body)
        found = []
        for resource in export.resource_spans:
            names = [a.value.string_value for a in resource.resource.attributes if a.key == "service.name"]
            for scope in resource.scope_spans:
                found += [
                    Received(names[0], s.trace_id.hex(), s.span_id.hex(), s.parent_span_id.hex(), s.kind, s.name)
                    for s in scope.spans
                ]
        with self.server.lock:
            self.server.spans += found
        self.send_response(200 if self.path == "/v1/traces" else 404)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        del format, args


#: What a process exporting to the receiver is told besides the endpoint: protobuf over HTTP, and spans sent
#: every 100 ms, so that they reach the receiver within a test.
TRACING: dict[str, str | None] = {"OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf", "OTEL_BSP_SCHEDULE_DELAY": "100"}


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
