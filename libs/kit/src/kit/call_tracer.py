"""The tracer of the calls between the platform's processes: set by `kit.tracing` when tracing is configured, read
by `kit.upstream` on every call. None (the default) means no span work at all. A module of its own so that the
transport and the tracing set-up need not import each other."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

_tracer: Tracer | None = None


def set_tracer(tracer: Tracer | None) -> None:
    global _tracer
    _tracer = tracer


def current() -> Tracer | None:
    return _tracer
