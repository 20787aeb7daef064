"""One long-lived HTTP client per service, and the rules for calling it.

The caller's token, request id and trace context go with every call. A GET is retried once when the
connection failed before the service saw the request; a write never is (it may have happened). Timeouts become
`UpstreamTimeout` (504), unreachable services and 5xx answers `UpstreamFailed` (502), 4xx answers
`DownstreamProblemError` (passed through).
"""

from __future__ import annotations

import json as json_module
import logging
from dataclasses import dataclass
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


@dataclass(frozen=True)
class CallContext:
    """What the gateway passes on from its caller to every service it calls on the caller's behalf."""

    authorization: str
    request_id: str | None = None
    traceparent: str | None = None
    tracestate: str | None = None
    #: The caller's `Accept-Language`, so services answer problems and labels in the caller's language.
    accept_language: str | None = None

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
        transport=transport or pooled_transport(limits),
        follow_redirects=False,
    )


class Upstream:
    """A service as the gateway sees it: a name and a client."""

    def __init__(self, name: str, client: httpx.AsyncClient) -> None:
        self.name = name
        self.client = client

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
    ) -> httpx.Response:
        """Send one request; 5xx and transport failures raise, any other answer is returned."""
        all_headers = {**(ctx.headers() if ctx else {}), **(headers or {})}
        attempts = 2 if method.upper() in IDEMPOTENT else 1
        extra: dict[str, Any] = {} if wait is None else {"timeout": wait}
        for attempt in range(1, attempts + 1):
            try:
                response = await self.client.request(
                    method, path, params=params, content=content, json=json, headers=all_headers, **extra
                )
            except httpx.TimeoutException as exc:
                raise UpstreamTimeout(
                    self.name, f"The {self.name} service did not answer {method} {path} in time."
                ) from exc
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
                raise UpstreamFailed(
                    self.name, f"The {self.name} service failed ({response.status_code}) on {method} {path}."
                )
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    async def request_content(
        self, method: str, path: str, ctx: CallContext | None, *, params: Any = None, json: Any = None
    ) -> bytes:
        """A call whose answer a view reads: the body of a 2xx answer; a 4xx becomes a `DownstreamProblemError`."""
        response = await self.send(method, path, ctx, params=params, json=json)
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

    async def get_content(self, path: str, ctx: CallContext | None, params: Any = None) -> bytes:
        return await self.request_content("GET", path, ctx, params=params)


def downstream_problem(service: str, response: httpx.Response) -> DownstreamProblemError:
    headers = {k: v for k, v in response.headers.items() if k.lower() in PASSED_PROBLEM_HEADERS}
    return DownstreamProblemError(
        service, response.status_code, response.content, response.headers.get("content-type"), headers
    )
