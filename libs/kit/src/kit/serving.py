"""uvicorn's HTTP/1.1 protocol with a bound on the time a request's headers take to arrive.

uvicorn times out an idle kept-alive connection, but not a connection that opens and then sends its request line
and headers a byte at a time, or nothing at all: each such connection is held for as long as the client likes.
Here a connection must deliver a request's complete headers within `KIP_HEADER_READ_TIMEOUT` seconds (default 10)
of opening, or of the previous answer; otherwise it is closed. The platform's processes are started with
`--http kit.serving:H11Protocol` (`kip run`, the test platform); the body's time is bounded by `kit.limits`.

An answer that cannot be finished once it has begun (a forwarded stream past its bound, a client that stopped
reading) must not look whole to the client: the connection is closed. An app says so with `cut_answer(scope)` after
logging why in one line; this protocol then closes the connection without uvicorn's own error line ("returned
without completing response") and without a traceback: an expected cut is not a crash.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol as _H11Protocol

DEFAULT_HEADER_READ_TIMEOUT = 10.0
#: The scope key by which an app says its begun answer was cut on purpose (`cut_answer`).
CUT = "kit.answer_cut"


class AnswerCut(Exception):
    """A begun answer cannot be finished (for example: the client read nothing for too long); the connection is to
    be closed, the reason logged in one line."""


def cut_answer(scope: MutableMapping[str, Any]) -> None:
    """Mark the request's begun answer as cut: the server closes the connection instead of completing it."""
    scope[CUT] = True


def header_read_timeout() -> float:
    return float(os.environ.get("KIP_HEADER_READ_TIMEOUT", DEFAULT_HEADER_READ_TIMEOUT))


class H11Protocol(_H11Protocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = header_read_timeout()
        self._header_timer: asyncio.TimerHandle | None = None
        inner = self.app

        async def app(scope: Any, receive: Any, send: Any) -> None:
            await inner(scope, receive, send)
            if scope.get(CUT):
                self.transport.close()
                if self.cycle is not None and self.cycle.scope is scope:
                    self.cycle.disconnected = True  # closed on purpose: nothing more to send, nothing to report

        self.app = app

    def _waiting_for_headers(self) -> bool:
        return self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete)

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._waiting_for_headers():
            self._arm()  # bytes of a new request: its headers have until the timer to arrive
        super().data_received(data)
        if not self._waiting_for_headers():
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm()  # an idle kept-alive connection is uvicorn's own keep-alive timeout's business

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self._waiting_for_headers() and not self.transport.is_closing():
            self.logger.info("closing a connection whose request headers did not arrive in %g s", self.header_timeout)
            self.transport.close()


def wait_until_healthy(
    popen: subprocess.Popen[bytes], name: str, url: str, log: Path, *, seconds: float, interval: float
) -> bool:
    """Wait for a started process to answer `GET <url>/healthz` with 200: True once it does, False when `seconds`
    pass first. A process that exits meanwhile raises, with the tail of its log."""
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            raise RuntimeError(f"{name} exited with {popen.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(interval)
    return False
