"""Every line a process of the platform writes is one JSON object: its own records, uvicorn's, the libraries'.

`configure_logging()` (called when an app is built, which uvicorn does before it logs its first line) puts one
JSON handler on the root logger and lets every logger reach it: `kip.*`, the gateway's reasons for a degraded
view or a retry, uvicorn's server and error lines (their own plain-text handlers are removed), Python warnings.
Each line carries `request_id` (the `X-Request-ID` of the request being served, `null` outside one) and
`trace_id` (the active OpenTelemetry trace, `null` when tracing is off); an exception is one `exc_info` field, not
a multi-line traceback. `KIP_LOG_LEVEL` (default INFO) sets the level; chatty clients stay at WARNING.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

from asgi_correlation_id import correlation_id
from pythonjsonlogger.json import JsonFormatter

#: uvicorn's loggers, whose handlers write plain text until they are handed to the root logger.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
#: Libraries that log every call at INFO: their lines say nothing the access log does not.
QUIET_LIBRARIES = ("httpx", "httpcore", "aiohttp.access", "asyncio")


def json_formatter() -> logging.Formatter:
    """The platform's log format: one JSON object per line, with a UTC timestamp, level and logger."""
    return JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )


def _trace_id() -> str | None:
    if "opentelemetry.trace" not in sys.modules:  # tracing off: nothing imported for it
        return None
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


class RequestContextFilter(logging.Filter):
    """Adds the request id and trace id of the request being served to every record that lacks them (and drops
    uvicorn's terminal colours)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.__dict__.pop("color_message", None)
        if getattr(record, "request_id", None) is None:
            record.request_id = correlation_id.get()
        if getattr(record, "trace_id", None) is None:
            record.trace_id = _trace_id()
        return True


def configure_logging(stream: TextIO | None = None, level: str | None = None) -> None:
    """Once per process: one JSON handler on the root logger, and every logger handed to it."""
    root = logging.getLogger()
    chosen = (level or os.environ.get("KIP_LOG_LEVEL", "INFO")).upper()
    if not any(getattr(h, "_kip_json", False) for h in root.handlers):
        handler = logging.StreamHandler(stream or sys.stdout)
        handler.setFormatter(json_formatter())
        handler.addFilter(RequestContextFilter())
        handler._kip_json = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        root.setLevel(chosen)
    logging.getLogger("kip").setLevel(chosen)
    for name in UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        if uvicorn_logger.handlers or uvicorn_logger.propagate:  # `--no-access-log` leaves neither: stays off
            uvicorn_logger.handlers.clear()
            uvicorn_logger.propagate = True
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).level))
    logging.captureWarnings(True)
