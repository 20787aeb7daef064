"""Checks against another service's API, made when a reference to its entity is written.

A service never takes a foreign id on trust: it asks the owner. When the owner cannot be reached the write
is refused with a 503 problem, never accepted unchecked.
"""

from __future__ import annotations

from typing import Any

import httpx
from asgi_correlation_id import correlation_id

from kit.problems import UpstreamUnavailable

DEFAULT_TIMEOUT = httpx.Timeout(5.0, connect=2.0)


def make_client(base_url: str, *, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """One long-lived client per upstream, made in the lifespan."""
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=DEFAULT_TIMEOUT,
        # Idle connections expire before the peer's keep-alive (uvicorn: 5 s) so none is reused as it closes.
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=20, keepalive_expiry=2.0),
        transport=transport,
    )


async def fetch_json(
    client: httpx.AsyncClient, service: str, path: str, token: str, params: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """GET `path` with the caller's token; None when the owner answers 404, 503 problem when unreachable."""
    headers = {"Authorization": f"Bearer {token}"}
    request_id = correlation_id.get()
    if request_id:
        headers["X-Request-ID"] = request_id
    try:
        response = await client.get(path, headers=headers, params=params)
    except httpx.HTTPError as exc:
        raise UpstreamUnavailable(
            f"The {service} service could not be reached ({type(exc).__name__}); nothing was written.",
            service=service,
        ) from exc
    if response.status_code == 404:
        return None
    if response.status_code >= 500 or response.status_code in (401, 403):
        raise UpstreamUnavailable(
            f"The {service} service answered {response.status_code} to {path}; nothing was written.",
            service=service,
        )
    if response.status_code >= 400:
        return None
    try:
        data = response.json()
    except ValueError as exc:
        raise UpstreamUnavailable(f"The {service} service answered with invalid JSON.", service=service) from exc
    return data if isinstance(data, dict) else {"items": data}
