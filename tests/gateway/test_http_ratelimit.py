"""Rate limits per caller, announced in `RateLimit-Policy`/`RateLimit`, shared between gateways through Redis."""

from __future__ import annotations

import os
import uuid
from typing import Any

import httpx
import pytest
import redis

from kit.settings import AuthSettings
from tests.gateway.conftest import Platform, TokenFactory, gateway_app, needs

MEASURES = "/api/programme/v1/measures"
REDIS_URL = os.environ.get("KIP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

pytestmark = needs("programme")


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


async def test_a_caller_over_its_budget_gets_429_with_retry_after(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory
) -> None:
    app = gateway_app(platform, auth_settings, rate_limit="3/minute")
    alice = token("sem", subject="alice@sem.admin.ch")
    bob = token("sem", subject="bob@sem.admin.ch")
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://gw") as c:
        answers = [await c.get(MEASURES, headers=alice) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[0].headers["ratelimit-policy"] == '"caller";q=3;w=60'
        assert [a.headers["ratelimit"].split(";")[1] for a in answers[:3]] == ["r=2", "r=1", "r=0"]
        refused = answers[3]
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"] == "/problems/rate-limited"
        assert refused.json()["instance"] == MEASURES
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        # Another caller has a budget of its own; probes are never counted.
        assert (await c.get(MEASURES, headers=bob)).status_code == 200
        assert (await c.get("/healthz")).status_code == 200


@pytest.mark.skipif(not _redis_answers(), reason=f"no Redis at {REDIS_URL}")
async def test_two_gateways_share_one_budget_through_redis(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory
) -> None:
    prefix = f"kip-test-{uuid.uuid4().hex}"
    options: dict[str, Any] = {
        "rate_limit": "4/minute",
        "rate_limit_redis_url": REDIS_URL,
        "rate_limit_redis_prefix": prefix,
    }
    first, second = gateway_app(platform, auth_settings, **options), gateway_app(platform, auth_settings, **options)
    carol = token("sem", subject="carol@sem.admin.ch")
    try:
        async with (
            first.router.lifespan_context(first),
            second.router.lifespan_context(second),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=first), base_url="http://gw1") as one,
            httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url="http://gw2") as two,
        ):
            statuses = [(await (one if i % 2 else two).get(MEASURES, headers=carol)).status_code for i in range(4)]
            assert statuses == [200, 200, 200, 200]
            assert (await one.get(MEASURES, headers=carol)).status_code == 429
            assert (await two.get(MEASURES, headers=carol)).status_code == 429
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)


async def test_an_unreachable_redis_lets_requests_pass(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory
) -> None:
    app = gateway_app(platform, auth_settings, rate_limit="1/minute", rate_limit_redis_url="redis://127.0.0.1:9/0")
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://gw") as c:
        answers = [await c.get(MEASURES, headers=token("sem")) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert "ratelimit" not in answers[0].headers
