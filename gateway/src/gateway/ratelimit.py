"""Rate limits per caller at the door, announced with the IETF `RateLimit-Policy` and `RateLimit` headers.

Each caller has its own budget (`GATEWAY_RATE_LIMIT`, e.g. `6000/minute`): a caller is the verified token's
subject, or the client address when the request carries no valid token (its 401 still costs from the address's
budget). Every answer says the policy and what is left of it (draft-ietf-httpapi-ratelimit-headers:
`RateLimit-Policy: "caller";q=6000;w=60` and `RateLimit: "caller";r=5999;t=42`); a caller over its budget gets a
429 problem with `Retry-After`. The counts live in this process by default, and in Redis when
`GATEWAY_RATE_LIMIT_REDIS_URL` is set, so every replica of the gateway draws from the same budget. When Redis
does not answer, requests pass (logged): the limiter must never be what takes the platform's only door down.
Probes, `/metrics` and the documentation are not counted.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.problems import Problem, problem_response

logger = logging.getLogger("gateway.ratelimit")

POLICY = "caller"
REDIS_TIMEOUT = 0.25
UNCOUNTED_PREFIXES = ("/healthz", "/readyz", "/metrics", "/docs", "/redoc", "/openapi.json")


class RateLimited(Problem):
    type_slug = "rate-limited"
    title = "Too many requests"
    status = 429


def make_storage(redis_url: str | None, key_prefix: str) -> Storage:
    if not redis_url:
        return MemoryStorage()
    uri = redis_url if redis_url.startswith("async+") else f"async+{redis_url}"
    # Short socket timeouts: a Redis that does not answer costs each request a quarter second at most, not a hang.
    return RedisStorage(
        uri,
        implementation="redispy",
        key_prefix=key_prefix,
        wrap_exceptions=True,
        socket_connect_timeout=REDIS_TIMEOUT,
        socket_timeout=REDIS_TIMEOUT,
    )


class RateLimitMiddleware:
    """Counts every API request against its caller's budget before anything else is spent on it."""

    def __init__(self, app: ASGIApp, *, limit: str, redis_url: str | None = None, key_prefix: str = "kip") -> None:
        self.app = app
        self.item: RateLimitItem = parse(limit)
        self.limiter = SlidingWindowCounterRateLimiter(make_storage(redis_url, key_prefix))
        window = self.item.get_expiry()
        self.policy = f'"{POLICY}";q={self.item.amount};w={window}'

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNCOUNTED_PREFIXES) or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        caller = _caller(scope)
        try:
            allowed = await self.limiter.hit(self.item, caller)
            reset_at, remaining = await self.limiter.get_window_stats(self.item, caller)
        except StorageError as exc:
            logger.warning("rate limit store unavailable, request passes: %s", exc)
            await self.app(scope, receive, send)
            return
        seconds = max(math.ceil(reset_at - time.time()), 0)
        headers = {"RateLimit-Policy": self.policy, "RateLimit": f'"{POLICY}";r={remaining};t={seconds}'}
        if not allowed:
            retry = str(max(seconds, 1))
            detail = f"More than {self.item.amount} requests in {self.item.get_expiry()} s; try again in {retry} s."
            response = problem_response(
                429,
                RateLimited.type_slug,
                RateLimited.title,
                detail,
                Request(scope),
                None,
                headers | {"Retry-After": retry},
            )
            await response(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message["headers"],
                    *((k.lower().encode(), v.encode()) for k, v in headers.items()),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


def rate_limit_options(settings: Any) -> dict[str, Any]:
    """The middleware's options from the gateway's settings."""
    return {
        "limit": settings.rate_limit,
        "redis_url": settings.rate_limit_redis_url,
        "key_prefix": settings.rate_limit_redis_prefix,
    }


def _caller(scope: Scope) -> str:
    """The verified token's subject, else the client's address."""
    scheme, _, token = Headers(scope=scope).get("authorization", "").partition(" ")
    verifier: Any = getattr(scope["app"].state, "token_verifier", None) if "app" in scope else None
    if scheme.lower() == "bearer" and token.strip() and verifier is not None:
        try:
            return f"sub:{verifier.verify(token.strip()).subject}"
        except Problem:
            pass
    client = scope.get("client")
    return f"addr:{client[0] if client else 'unknown'}"
