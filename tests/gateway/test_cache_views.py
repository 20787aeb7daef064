"""The views' part cache: parts are kept per audience, used while the event follower vouches for them, so a write
through the gateway shows at once and one straight to a service within a second, no caller is handed another's
answer, memory is bounded, and `GATEWAY_VIEW_CACHE=off` turns it off."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from gateway.cache import Part, PartCache
from gateway.upstream import CallContext
from kit.settings import AuthSettings
from tests.gateway.conftest import BL_KIP3, Platform, TokenFactory, gateway_app, needs

pytestmark = needs("programme", "funding", "evaluation")

MEASURES = "/api/programme/v1/measures"
COCKPIT = f"/api/v1/views/canton/programmes/{BL_KIP3}?year=2025"
ME = "/api/v1/views/partners/me"


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


async def _first_measure(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[str, str]:
    listed = await client.get(MEASURES, params={"programme_id": str(BL_KIP3)}, headers=headers)
    measure_id = listed.json()["items"][0]["id"]
    etag = (await client.get(f"{MEASURES}/{measure_id}", headers=headers)).headers["etag"]
    return measure_id, etag


async def test_a_second_read_uses_the_kept_parts_and_a_write_through_the_gateway_shows_at_once(
    client: httpx.AsyncClient, gateway: FastAPI, token: TokenFactory, changes_data: None
) -> None:
    cache: PartCache = gateway.state.view_cache
    headers = token("canton-editor", canton="BL")
    first = await client.get(COCKPIT, headers=headers)
    assert first.status_code == 200 and cache.fetched > 0 and len(cache.parts) > 0
    second = await client.get(COCKPIT, headers=headers)
    assert second.json() == first.json() and cache.revalidated + cache.trusted_hits > 0  # kept parts used
    measure_id, etag = await _first_measure(client, headers)
    changed = await client.patch(
        f"{MEASURES}/{measure_id}", json={"title": "Über das Tor"}, headers={**headers, "If-Match": etag}
    )
    assert changed.status_code == 200, changed.text
    after = await client.get(COCKPIT, headers=headers)
    assert "Über das Tor" in after.text and after.headers["etag"] != first.headers["etag"]


async def test_a_write_straight_to_a_service_shows_in_the_view_within_a_second(
    client: httpx.AsyncClient, platform: Platform, token: TokenFactory, changes_data: None
) -> None:
    headers = token("canton-editor", canton="BL")
    assert (await client.get(COCKPIT, headers=headers)).status_code == 200  # the parts are kept now
    measure_id, etag = await _first_measure(client, headers)
    async with httpx.AsyncClient(transport=platform.transport("programme"), base_url="http://programme") as service:
        changed = await service.patch(
            f"/v1/measures/{measure_id}", json={"title": "Am Tor vorbei"}, headers={**headers, "If-Match": etag}
        )
    assert changed.status_code == 200, changed.text
    written = time.monotonic()
    while True:  # the gateway learns of it from the programme service's events: a read sent a second later shows it
        late = time.monotonic() - written >= 1.0
        after = await client.get(COCKPIT, headers=headers)
        if "Am Tor vorbei" in after.text or late:
            break
        await asyncio.sleep(0.05)
    assert "Am Tor vorbei" in after.text


async def test_callers_never_get_each_others_kept_parts(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory
) -> None:
    callers = [
        (COCKPIT, token("canton-viewer", canton="BL")),
        (ME, token("partner", partner="heks-bb")),
        (ME, token("partner", partner="ald")),
        (COCKPIT, token("canton-viewer", canton="ZH")),
    ]
    cached, uncached = gateway_app(platform, auth_settings), gateway_app(platform, auth_settings, view_cache="off")
    async with cached.router.lifespan_context(cached), uncached.router.lifespan_context(uncached):
        assert uncached.state.view_cache is None
        async with _client(cached) as on, _client(uncached) as off:
            for _ in range(2):  # the second round is served from what the first one kept
                for path, headers in callers:
                    with_cache, without = await on.get(path, headers=headers), await off.get(path, headers=headers)
                    assert with_cache.status_code == without.status_code, path
                    if without.status_code == 200:
                        assert with_cache.content == without.content, (path, headers)
                    else:  # ZH may not see BL's programme, with or without the cache
                        assert with_cache.json()["type"] == without.json()["type"] == "/problems/not-found"
        owners = {key[1] for key in cached.state.view_cache.parts}
        assert len(owners) == len(callers)  # every caller's parts under its own key
        assert cached.state.view_cache.revalidated > 0


def test_the_cache_is_bounded_and_drops_the_least_recently_used() -> None:
    cache = PartCache(max_bytes=3 * 1300)
    ctx = CallContext(authorization="Bearer x")
    keys = [cache.key("programme", f"/v1/measures/{i}", ctx, None) for i in range(4)]
    for key in keys[:3]:
        cache.keep(key, Part('"1"', b"x" * 1000))
    assert cache.parts.get(keys[0]) is not None  # used: the least recently used is now keys[1]
    cache.keep(keys[3], Part('"1"', b"x" * 1000))
    assert set(cache.parts) == {keys[0], keys[2], keys[3]}
    cache.keep(cache.key("programme", "/v1/huge", ctx, None), Part('"1"', b"x" * 10_000))
    assert len(cache.parts) == 3 and cache.parts.currsize <= cache.parts.maxsize


@pytest.fixture
async def cache_off(platform: Platform, auth_settings: AuthSettings) -> AsyncIterator[FastAPI]:
    app = gateway_app(platform, auth_settings, view_cache="off")
    async with app.router.lifespan_context(app):
        yield app


async def test_views_work_with_the_cache_off(cache_off: FastAPI, token: TokenFactory) -> None:
    async with _client(cache_off) as client:
        response = await client.get(COCKPIT, headers=token("canton-viewer", canton="BL"))
    assert response.status_code == 200 and cache_off.state.view_cache is None
