"""Admission: no more API requests in progress than `max_in_flight`, the rest wait their turn without it being
taken from any call's budget, a request that cannot start in time is a 503 problem, and health is never held."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from fastapi import FastAPI

from gateway.main import create_app
from gateway.settings import GatewaySettings
from kit.settings import AuthSettings

from .conftest import BL_KIP3, Platform, TokenFactory

PATH = f"/api/programme/v1/programmes/{BL_KIP3}"


class SlowProgramme(httpx.AsyncBaseTransport):
    """The real programme app, `delay` seconds slow; counts the calls it has in progress at once."""

    def __init__(self, platform: Platform, delay: float) -> None:
        self.inner = platform.transport("programme")
        self.delay = delay
        self.in_progress = 0
        self.most = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/openapi.json"):  # the gateway's read of what it may forward: not slowed
            return await self.inner.handle_async_request(request)
        self.in_progress += 1
        self.most = max(self.most, self.in_progress)
        try:
            await asyncio.sleep(self.delay)
            return await self.inner.handle_async_request(request)
        finally:
            self.in_progress -= 1


def _gateway(auth_settings: AuthSettings, programme: SlowProgramme, **settings: Any) -> FastAPI:
    return create_app(GatewaySettings(docs_prefetch=False, **settings), auth_settings, {"programme": programme})


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway", timeout=10)


async def test_requests_beyond_the_limit_wait_and_their_wait_is_not_taken_from_the_call_budget(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory
) -> None:
    """Six reads of a service 0.25 s slow, two at a time, with a per-call timeout of 0.4 s: the last ones wait about
    0.5 s before they start, and all six are answered."""
    programme = SlowProgramme(platform, 0.25)
    app = _gateway(auth_settings, programme, max_in_flight=2, programme_timeout=0.4)
    async with app.router.lifespan_context(app), _client(app) as client:
        reads = [asyncio.create_task(client.get(PATH, headers=token("sem"))) for _ in range(6)]
        await asyncio.sleep(0.1)
        started = time.monotonic()
        health = await client.get("/healthz")
        health_seconds = time.monotonic() - started
        answers = await asyncio.gather(*reads)
    assert [a.status_code for a in answers] == [200] * 6, [a.text for a in answers]
    assert programme.most == 2
    assert health.status_code == 200 and health_seconds < 0.2, "health is not held back by the queue"


async def test_a_request_that_cannot_start_in_time_is_a_503_overloaded_problem(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory
) -> None:
    programme = SlowProgramme(platform, 0.5)
    app = _gateway(auth_settings, programme, max_in_flight=1, admission_timeout=0.1)
    async with app.router.lifespan_context(app), _client(app) as client:
        first = asyncio.create_task(client.get(PATH, headers=token("sem")))
        await asyncio.sleep(0.05)
        started = time.monotonic()
        turned_away = await client.get(PATH, headers=token("sem"))
        waited = time.monotonic() - started
        metrics = (await client.get("/metrics")).text
        assert (await first).status_code == 200
    assert turned_away.status_code == 503
    assert turned_away.headers["content-type"] == "application/problem+json"
    assert turned_away.headers["retry-after"] == "5"
    assert turned_away.json()["type"] == "/problems/overloaded"
    assert "(1)" in turned_away.json()["detail"]
    assert 0.1 <= waited < 0.4
    assert programme.most == 1
    assert "kip_gateway_overloaded_requests_total 1.0" in metrics
    assert "kip_gateway_in_flight_requests 1.0" in metrics
