"""Request bodies are bounded before they cost anything: in size (per route) and in the time they take to arrive.

`BodyLimitMiddleware` reads a request's body before the app sees it, and refuses it with a problem when it breaks
a bound:

- `413 body-too-large` when the declared `Content-Length` is over the route's limit (nothing is read), or as soon as
  the running total of a chunked body passes it (the rest is not read);
- `408 body-timeout` when the whole body has not arrived within `KIP_BODY_READ_TIMEOUT` seconds.

Both answers close the connection. Routes that take files (a path segment in `FILE_SEGMENTS`) have their own,
larger limit. The body is then handed to the app as it came, so routes read it as usual. The gateway uses the same
reading (`read_body`) in its door, before admission, so a dawdling client holds no admission slot.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.problems import problem_response

#: A path with one of these segments takes files (imports, exports, the indicator upload, the budget grid): it has
#: the larger limit.
FILE_SEGMENTS = frozenset({"imports", "exports", "import", "export", "upload", "budget-grid"})


class LimitSettings(BaseSettings):
    """Bounds on what a caller sends (`KIP_*`), the same at the gateway and at every service."""

    model_config = SettingsConfigDict(env_prefix="KIP_", extra="ignore")

    #: Largest request body of an ordinary route (bytes).
    max_body_bytes: int = Field(default=1024 * 1024, ge=0)
    #: Largest request body of a route that takes files (bytes).
    max_file_body_bytes: int = Field(default=32 * 1024 * 1024, ge=0)
    #: The whole body must arrive within this many seconds of the request's headers.
    body_read_timeout: float = Field(default=10.0, gt=0)

    def limit_for(self, path: str) -> int:
        return self.max_file_body_bytes if takes_files(path) else self.max_body_bytes


def takes_files(path: str) -> bool:
    return any(segment in FILE_SEGMENTS for segment in path.split("/"))


@dataclass(frozen=True)
class Refusal:
    """Why a body was not taken, as the problem to answer."""

    status: int
    type_slug: str
    title: str
    detail: str

    async def send(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            self.status, self.type_slug, self.title, self.detail, headers={"Connection": "close"}
        )
        await response(scope, receive, send)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


def expects_body(scope: Scope) -> bool:
    """Whether the request announces a body (a non-zero `Content-Length`, or a chunked transfer)."""
    length = _header(scope, b"content-length")
    if length is not None:
        return length.strip() not in (b"0", b"")
    return b"chunked" in (_header(scope, b"transfer-encoding") or b"").lower()


def too_large(limit: int) -> Refusal:
    return Refusal(
        413,
        "body-too-large",
        "Request body too large",
        f"This route takes request bodies of at most {limit} bytes; send less (larger files go to an import route).",
    )


def declared_refusal(scope: Scope, limit: int) -> Refusal | None:
    """A refusal decided from the headers alone: a declared length over the limit."""
    length = _header(scope, b"content-length")
    if length is not None and length.strip().isdigit() and int(length) > limit:
        return too_large(limit)
    return None


async def read_body(receive: Receive, limit: int, seconds: float) -> bytes | Refusal:
    """The whole body, or the refusal: over `limit` bytes, or not complete within `seconds`."""
    chunks: list[bytes] = []
    total = 0
    try:
        async with asyncio.timeout(seconds):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return Refusal(400, "client-disconnected", "Client disconnected", "The body did not arrive.")
                chunk = message.get("body", b"")
                total += len(chunk)
                if total > limit:
                    return too_large(limit)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    return b"".join(chunks)
    except TimeoutError:
        return Refusal(
            408,
            "body-timeout",
            "Request body not received in time",
            f"The request body did not arrive within {seconds:g} s; send it in one go.",
        )


def replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands over the body already read, then waits on the connection (for its disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


class BodyLimitMiddleware:
    """Every HTTP request's body read within the bounds of `LimitSettings` before the app runs."""

    def __init__(self, app: ASGIApp, *, settings: LimitSettings | None = None) -> None:
        self.app = app
        self.settings = settings or LimitSettings()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not expects_body(scope):
            await self.app(scope, receive, send)
            return
        limit = self.settings.limit_for(str(scope.get("path", "")))
        refusal = declared_refusal(scope, limit)
        body = refusal or await read_body(receive, limit, self.settings.body_read_timeout)
        if isinstance(body, Refusal):
            await body.send(scope, receive, send)
            return
        await self.app(scope, replay(body, receive), send)
