"""Checks against another service's API, made when a reference to its entity is written.

A service never takes a foreign id on trust: it asks the owner. When the owner cannot be reached the write
is refused with a 503 problem, never accepted unchecked. What a service reads of another's answer is bounded: at
most `KIP_MAX_UPSTREAM_BODY_BYTES` (8 MiB), and the whole call, answer included, within the client's read
timeout (5 s), not only between two bytes; an owner that floods or drips its answer is cut off (503 too).

Every call between the platform's processes goes through `AiohttpTransport`, which counts and times it in the
`kip_upstream_*` metrics (by upstream service and route template) and, when tracing is configured
(`kit.tracing`), makes a CLIENT span for it and sends its W3C trace context with the global propagator.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import aiohttp
import httpx
from asgi_correlation_id import correlation_id

from kit import call_tracer
from kit.i18n import Msg
from kit.observability import record_upstream_call, upstream_route
from kit.problems import UpstreamUnavailable

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

DEFAULT_TIMEOUT = httpx.Timeout(5.0, connect=2.0)
#: The most of another service's answer a service reads, unless `KIP_MAX_UPSTREAM_BODY_BYTES` says otherwise.
DEFAULT_MAX_UPSTREAM_BODY_BYTES = 8 * 1024 * 1024
#: Request extensions a caller may set: the upstream's name and the route template of the call.
UPSTREAM = "kip_upstream"
ROUTE = "kip_route"


def trace_calls(tracer: Tracer | None) -> None:
    """Make (or, with None, stop making) a CLIENT span for every call of every `AiohttpTransport`."""
    call_tracer.set_tracer(tracer)


class AiohttpTransport(httpx.AsyncBaseTransport):
    """httpx's API over aiohttp's connection pool.

    httpx's own transport (httpcore) costs several times the CPU per request under concurrent load (encode/httpx
    #3215); the benchmark measured it at three quarters of the gateway's time per forwarded read. aiohttp's failures
    are mapped onto httpx's exception classes with the meaning callers rely on: `ConnectError` (nothing was sent),
    `RemoteProtocolError` (the peer closed or answered something that is not HTTP), `ReadError` (reset while
    answering), `ConnectTimeout`/`ReadTimeout`. Bodies are streamed: the reader bounds how much it takes.
    """

    def __init__(self, limits: httpx.Limits, service: str | None = None) -> None:
        self._limits = limits
        self._service = service
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._limits.max_connections or 0,
                keepalive_timeout=self._limits.keepalive_expiry,
                enable_cleanup_closed=False,
            )
            self._session = aiohttp.ClientSession(
                connector=connector, auto_decompress=False, trust_env=False, skip_auto_headers=("User-Agent",)
            )
            # aiohttp sends an idempotent request a second time on its own when the connection drops; the callers'
            # retry policy (the gateway: a GET once, a write never) must be the only one, so that one is off.
            self._session._retry_connection = False
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        upstream = str(request.extensions.get(UPSTREAM) or self._service or request.url.host)
        route = str(request.extensions.get(ROUTE) or upstream_route(request.url.path))
        started = time.perf_counter()
        try:
            tracer = call_tracer.current()
            if tracer is None:
                response = await self._send(request, dict(request.headers))
            else:
                response = await self._send_traced(tracer, request, upstream, route)
        except BaseException:
            record_upstream_call(upstream, request.method, route, "error", None)
            raise
        record_upstream_call(upstream, request.method, route, str(response.status_code), time.perf_counter() - started)
        return response

    async def _send_traced(self, tracer: Tracer, request: httpx.Request, upstream: str, route: str) -> httpx.Response:
        """The call inside a CLIENT span whose context goes out in the request's `traceparent`."""
        from opentelemetry import propagate
        from opentelemetry.trace import SpanKind, Status, StatusCode

        attributes: dict[str, str | int] = {
            "http.request.method": request.method,
            "url.full": str(request.url.copy_with(query=None)),
            "url.template": route,
            "server.address": request.url.host,
            "server.port": request.url.port or (443 if request.url.scheme == "https" else 80),
            "peer.service": upstream,
        }
        with tracer.start_as_current_span(
            f"{request.method} {route}", kind=SpanKind.CLIENT, attributes=attributes
        ) as span:
            headers = dict(request.headers)
            propagate.inject(headers)
            response = await self._send(request, headers)
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                span.set_status(Status(StatusCode.ERROR))
            return response

    async def _send(self, request: httpx.Request, headers: dict[str, str]) -> httpx.Response:
        timeout = request.extensions.get("timeout", {})
        body = await request.aread()
        try:
            response = await self._client().request(
                request.method,
                str(request.url),
                headers=headers,
                data=body or None,
                allow_redirects=False,
                compress=None,
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    sock_connect=timeout.get("connect"),
                    sock_read=timeout.get("read"),
                    connect=timeout.get("pool"),
                ),
            )
        except Exception as exc:
            mapped = _mapped(exc, request)
            if mapped is exc:
                raise
            raise mapped from exc
        return httpx.Response(
            response.status,
            headers=response.raw_headers,
            stream=_AiohttpStream(response, request),
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


class _AiohttpStream(httpx.AsyncByteStream):
    """An answer's body as aiohttp receives it: the reader decides how much it takes (nothing is read ahead)."""

    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except Exception as exc:
            mapped = _mapped(exc, self._request)
            if mapped is exc:
                raise
            raise mapped from exc

    async def aclose(self) -> None:
        if self._response.content.at_eof():
            self._response.release()  # read whole: the connection goes back to the pool
        else:
            self._response.close()  # left unread: the connection cannot carry another request


def _mapped(exc: Exception, request: httpx.Request) -> Exception:
    """aiohttp's failure as the httpx exception with the same meaning (anything else as it is)."""
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(str(exc), request=request)
    if isinstance(exc, TimeoutError) and not isinstance(exc, aiohttp.ClientError):
        return httpx.ReadTimeout(str(exc) or "timed out", request=request)
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return httpx.ReadTimeout(str(exc) or "timed out", request=request)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError(str(exc), request=request)
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientResponseError | aiohttp.ClientPayloadError):
        return httpx.RemoteProtocolError(str(exc) or type(exc).__name__, request=request)
    if isinstance(exc, aiohttp.ClientError | OSError):
        return httpx.ReadError(str(exc) or type(exc).__name__, request=request)
    return exc


def pooled_transport(limits: httpx.Limits, service: str | None = None) -> httpx.AsyncBaseTransport:
    """The transport of every long-lived client between the platform's processes (to `service`, when named)."""
    return AiohttpTransport(limits, service)


def make_client(base_url: str, *, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """One long-lived client per upstream, made in the lifespan."""
    # Idle connections expire before the peer's keep-alive (uvicorn: 5 s) so none is reused as it closes.
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=20, keepalive_expiry=2.0)
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=DEFAULT_TIMEOUT,
        limits=limits,
        transport=transport or pooled_transport(limits),
    )


def max_upstream_body_bytes() -> int:
    return int(os.environ.get("KIP_MAX_UPSTREAM_BODY_BYTES", DEFAULT_MAX_UPSTREAM_BODY_BYTES))


class _TooLarge(Exception):
    pass


async def _read_bounded(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _TooLarge
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def fetch_json(
    client: httpx.AsyncClient,
    service: str,
    path: str,
    token: str,
    params: dict[str, Any] | None = None,
    *,
    max_bytes: int | None = None,
    budget: float | None = None,
) -> dict[str, Any] | None:
    """GET `path` with the caller's token; None when the owner answers 404, 503 problem when unreachable, too slow
    (the whole answer within `budget`, by default the client's read timeout) or too large (over `max_bytes`, by
    default `KIP_MAX_UPSTREAM_BODY_BYTES`)."""
    headers = {"Authorization": f"Bearer {token}"}
    request_id = correlation_id.get()
    if request_id:
        headers["X-Request-ID"] = request_id
    limit = max_bytes if max_bytes is not None else max_upstream_body_bytes()
    seconds = budget if budget is not None else client.timeout.read
    try:
        async with asyncio.timeout(seconds):
            request = client.build_request("GET", path, headers=headers, params=params, extensions={UPSTREAM: service})
            response = await client.send(request, stream=True)
            try:
                content = await _read_bounded(response, limit)
            finally:
                await response.aclose()
    except TimeoutError as exc:
        raise UpstreamUnavailable(
            f"The {service} service did not answer {path} within {seconds:g} s; nothing was written.",
            service=service,
        ) from exc
    except _TooLarge as exc:
        raise UpstreamUnavailable(
            f"The {service} service answered {path} with more than {limit} bytes; nothing was written.",
            service=service,
        ) from exc
    except httpx.HTTPError as exc:
        raise UpstreamUnavailable(
            Msg(
                "The {service} service could not be reached ({error}); nothing was written.",
                service=service,
                error=type(exc).__name__,
            ),
            service=service,
        ) from exc
    if response.status_code == 404:
        return None
    if response.status_code >= 500 or response.status_code in (401, 403):
        raise UpstreamUnavailable(
            Msg(
                "The {service} service answered {status_code} to {path}; nothing was written.",
                service=service,
                status_code=response.status_code,
                path=path,
            ),
            service=service,
        )
    if response.status_code >= 400:
        return None
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise UpstreamUnavailable(
            Msg("The {service} service answered with invalid JSON.", service=service), service=service
        ) from exc
    return data if isinstance(data, dict) else {"items": data}
