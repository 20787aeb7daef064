"""One long-lived HTTP client per service, and the rules for calling it.

The caller's token, request id and trace context go with every call. A GET is retried once when the
connection failed before the service saw the request; a write never is (it may have happened). Timeouts become
`UpstreamTimeout` (504), unreachable services and 5xx answers `UpstreamFailed` (502), 4xx answers
`DownstreamProblemError` (passed through).
"""

from __future__ import annotations

import asyncio
import json as json_module
import logging
from collections.abc import AsyncIterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import httpx

from gateway.errors import PASSED_PROBLEM_HEADERS, DownstreamProblemError, UpstreamFailed, UpstreamTimeout
from gateway.settings import GatewaySettings
from kit.upstream import pooled_transport

logger = logging.getLogger("gateway.upstream")

#: Methods that may be sent twice without changing anything.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
#: Failures where the request cannot have reached the service's handler.
RETRYABLE = (httpx.ConnectError, httpx.RemoteProtocolError)
#: Headers of an answer that no longer hold once its body has been read and decoded.
DECODED_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


@dataclass(frozen=True)
class CallContext:
    """What the gateway passes on from its caller to every service it calls on the caller's behalf."""

    authorization: str
    request_id: str | None = None
    traceparent: str | None = None
    tracestate: str | None = None
    #: The caller's `Accept-Language`, so services answer problems and labels in the caller's language.
    accept_language: str | None = None
    #: Who may read the same answers (`gateway.cache.audience`), for a verified caller; keys the view cache.
    audience: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {"Authorization": self.authorization}
        if self.request_id:
            headers["X-Request-ID"] = self.request_id
        if self.traceparent:
            headers["traceparent"] = self.traceparent
        if self.tracestate:
            headers["tracestate"] = self.tracestate
        if self.accept_language:
            headers["accept-language"] = self.accept_language  # the spelling forwarded headers use: no duplicate
        return headers


@dataclass
class ViewParts:
    """What a view being built read from the services: the parts' cache keys and ETags (`gateway.cache`). A read
    that went around the part cache, failed, or was still running when the view answered makes it `untracked`,
    `failed` or unfinished: such a view gets no ETag made of its parts and is not kept."""

    parts: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    started: int = 0
    finished: int = 0
    failed: bool = False
    untracked: bool = False

    @property
    def complete(self) -> bool:
        return not (self.failed or self.untracked) and self.started == self.finished and bool(self.parts)


#: The recorder of the view being built in this context (copied into the tasks of its fan-out).
VIEW_PARTS: ContextVar[ViewParts | None] = ContextVar("view_parts", default=None)


def make_upstream_client(
    settings: GatewaySettings, service: str, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The one client of a service, made in the lifespan; explicit timeouts and connection limits."""
    timeout = settings.timeout(service)
    limits = httpx.Limits(
        max_connections=settings.max_connections,
        max_keepalive_connections=settings.max_keepalive_connections,
        keepalive_expiry=settings.keepalive_expiry,
    )
    return httpx.AsyncClient(
        base_url=settings.url(service),
        timeout=httpx.Timeout(timeout, connect=min(settings.connect_timeout, timeout)),
        limits=limits,
        transport=transport or pooled_transport(limits, service),
        follow_redirects=False,
    )


class UpstreamTooLarge(UpstreamFailed):
    """A service's answer over `GATEWAY_MAX_UPSTREAM_BODY_BYTES`: the gateway stops reading it (502)."""

    type_slug = "upstream-too-large"
    title = "A service answered more than the gateway accepts"


class Upstream:
    """A service as the gateway sees it: a name, a client, and the bounds on what the gateway reads from it.

    Every answer is read within `max_bytes` (decoded) and within the call's whole timeout, not only between two
    bytes: a service that drips its answer or sends tens of megabytes is cut off, its connection closed."""

    def __init__(self, name: str, client: httpx.AsyncClient, max_bytes: int = 8 * 1024 * 1024) -> None:
        self.name = name
        self.client = client
        self.max_bytes = max_bytes

    def _budget(self, wait: float | None) -> float | None:
        return wait if wait is not None else self.client.timeout.read

    def too_large(self, method: str, path: str) -> UpstreamTooLarge:
        return UpstreamTooLarge(
            self.name,
            f"The {self.name} service answered {method} {path} with more than {self.max_bytes} bytes "
            "(GATEWAY_MAX_UPSTREAM_BODY_BYTES).",
        )

    def _timed_out(self, method: str, path: str) -> UpstreamTimeout:
        return UpstreamTimeout(self.name, f"The {self.name} service did not answer {method} {path} in time.")

    async def send(
        self,
        method: str,
        path: str,
        ctx: CallContext | None,
        *,
        params: Any = None,
        content: bytes | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        wait: float | None = None,
        part: bool = False,
    ) -> httpx.Response:
        """Send one request and read its answer whole (bounded); 5xx and transport failures raise, any other
        answer is returned. `part`: a read through the view cache (`gateway.cache.get_part`)."""
        budget = self._budget(wait)
        try:
            async with asyncio.timeout(budget):
                response = await self.open(
                    method,
                    path,
                    ctx,
                    params=params,
                    content=content,
                    json=json,
                    headers=headers,
                    wait=wait,
                    part=part,
                )
                try:
                    body = await self._read(response, method, path)
                finally:
                    await response.aclose()
        except TimeoutError as exc:
            raise self._timed_out(method, path) from exc
        kept = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in DECODED_HEADERS]
        return httpx.Response(response.status_code, headers=kept, content=body, request=response.request)

    async def _read(self, response: httpx.Response, method: str, path: str) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self.too_large(method, path)
        chunks: list[bytes] = []
        total = 0
        try:
            async for chunk in response.aiter_bytes():
                total += len(chunk)
                if total > self.max_bytes:
                    raise self.too_large(method, path)
                chunks.append(chunk)
        except httpx.TimeoutException as exc:
            raise self._timed_out(method, path) from exc
        except httpx.HTTPError as exc:
            raise UpstreamFailed(
                self.name, f"The {self.name} service broke off its answer ({type(exc).__name__})."
            ) from exc
        return b"".join(chunks)

    async def open(
        self,
        method: str,
        path: str,
        ctx: CallContext | None,
        *,
        params: Any = None,
        content: bytes | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        wait: float | None = None,
        part: bool = False,
    ) -> httpx.Response:
        """Send one request and return its answer unread (the caller reads it with `stream`, then closes it);
        5xx answers and transport failures raise."""
        recorder = VIEW_PARTS.get()
        if recorder is not None and not part:
            recorder.untracked = True  # a view read something the part cache does not know of
        all_headers = {**(ctx.headers() if ctx else {}), **(headers or {})}
        attempts = 2 if method.upper() in IDEMPOTENT else 1
        extra: dict[str, Any] = {} if wait is None else {"timeout": wait}
        for attempt in range(1, attempts + 1):
            try:
                request = self.client.build_request(
                    method, path, params=params, content=content, json=json, headers=all_headers, **extra
                )
                response = await self.client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise self._timed_out(method, path) from exc
            except RETRYABLE as exc:
                if attempt < attempts:
                    logger.info("retrying %s %s on %s after %s", method, path, self.name, type(exc).__name__)
                    continue
                raise UpstreamFailed(
                    self.name, f"The {self.name} service could not be reached ({type(exc).__name__})."
                ) from exc
            except httpx.HTTPError as exc:
                raise UpstreamFailed(
                    self.name, f"The {self.name} service could not be reached ({type(exc).__name__})."
                ) from exc
            if response.status_code >= 500:
                await response.aclose()
                raise UpstreamFailed(
                    self.name, f"The {self.name} service failed ({response.status_code}) on {method} {path}."
                )
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    async def stream(
        self, response: httpx.Response, method: str, path: str, wait: float | None = None
    ) -> AsyncIterator[bytes]:
        """An opened answer's body as it comes, bounded in size and in total time; closed at the end. Past a
        bound the iteration raises (the caller's connection is cut: a truncated answer must not look whole)."""
        budget = self._budget(wait)
        deadline = None if budget is None else asyncio.get_running_loop().time() + budget
        total = 0
        chunks = response.aiter_bytes()
        try:
            while True:
                try:
                    async with asyncio.timeout_at(deadline):
                        chunk = await anext(chunks)
                except StopAsyncIteration:
                    return
                except TimeoutError as exc:
                    raise self._timed_out(method, path) from exc
                total += len(chunk)
                if total > self.max_bytes:
                    raise self.too_large(method, path)
                yield chunk
        finally:
            await response.aclose()

    async def request_content(
        self,
        method: str,
        path: str,
        ctx: CallContext | None,
        *,
        params: Any = None,
        json: Any = None,
        part: bool = False,
    ) -> bytes:
        """A call whose answer a view reads: the body of a 2xx answer; a 4xx becomes a `DownstreamProblemError`."""
        response = await self.send(method, path, ctx, params=params, json=json, part=part)
        if response.status_code >= 400:
            raise downstream_problem(self.name, response)
        return response.content

    async def request_json(
        self, method: str, path: str, ctx: CallContext | None, *, params: Any = None, json: Any = None
    ) -> Any:
        content = await self.request_content(method, path, ctx, params=params, json=json)
        try:
            return json_module.loads(content)
        except ValueError as exc:
            raise UpstreamFailed(self.name, f"The {self.name} service answered {path} with invalid JSON.") from exc

    async def get_json(self, path: str, ctx: CallContext | None, params: Any = None) -> Any:
        return await self.request_json("GET", path, ctx, params=params)

    async def get_content(self, path: str, ctx: CallContext | None, params: Any = None, part: bool = False) -> bytes:
        return await self.request_content("GET", path, ctx, params=params, part=part)


def downstream_problem(service: str, response: httpx.Response) -> DownstreamProblemError:
    headers = {k: v for k, v in response.headers.items() if k.lower() in PASSED_PROBLEM_HEADERS}
    return DownstreamProblemError(
        service, response.status_code, response.content, response.headers.get("content-type"), headers
    )
