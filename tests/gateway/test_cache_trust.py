"""When the views' cache may use a kept part without asking its service: only with a healthy event follower, within
the trust bound, and while no event, reset or write of its audience came after the part was last confirmed."""

from __future__ import annotations

import time
import uuid

import httpx

from gateway.cache import Part, PartCache, audience, programme_scope
from kit.auth import Principal, Role
from kit.settings import AuthSettings
from tests.gateway.conftest import BL_KIP3, Platform, TokenFactory, gateway_app, needs

P = "534937cf-0bf3-53fb-8844-d73ac7d5cdf3"
Q = "11111111-2222-3333-4444-555555555555"
CANTON = audience(Principal("a", Role.CANTON_VIEWER, canton="BL"))
PARTNER = audience(Principal("b", Role.PARTNER, partner_id=uuid.UUID(int=7)))


def _cache(healthy: bool = True) -> PartCache:
    cache = PartCache(1 << 20, trust_seconds=30)
    cache.follower_healthy = lambda: healthy
    return cache


def _part(scope: str | None) -> Part:
    return Part('"1"', b"{}", time.monotonic(), scope)


def test_a_part_names_its_programme_by_path_or_query_or_none() -> None:
    assert programme_scope(f"/v1/programmes/{P}/goals", None) == P
    assert programme_scope(f"/v1/programmes/{P}", None) == P
    assert programme_scope("/v1/measures", {"programme_id": Q, "limit": "500"}) == Q
    assert programme_scope("/v1/programmes/financial-totals", {"year": "2025"}) is None
    assert programme_scope("/v1/agreements", {"partner_id": Q}) is None


def test_audiences_differ_by_role_canton_and_partner() -> None:
    editor = audience(Principal("c", Role.CANTON_EDITOR, canton="BL"))
    other_canton = audience(Principal("d", Role.CANTON_VIEWER, canton="ZH"))
    other_partner = audience(Principal("e", Role.PARTNER, partner_id=uuid.UUID(int=8)))
    assert len({CANTON, PARTNER, editor, other_canton, other_partner}) == 5
    assert audience(Principal("someone else", Role.CANTON_VIEWER, canton="BL")) == CANTON


def test_nothing_is_trusted_without_a_healthy_follower_or_past_the_bound() -> None:
    part = _part(P)
    assert _cache(healthy=True).trusted(part, CANTON, time.monotonic())
    assert not _cache(healthy=False).trusted(part, CANTON, time.monotonic())
    assert not _cache().trusted(part, CANTON, time.monotonic() + 31)
    never = PartCache(1 << 20, trust_seconds=0)
    never.follower_healthy = lambda: True
    assert not never.trusted(part, CANTON, time.monotonic())


def test_an_event_distrusts_the_parts_of_its_programme_and_the_parts_about_any() -> None:
    cache = _cache()
    of_p, of_q, wide = _part(P), _part(Q), _part(None)
    cache.note_event(P)
    now = time.monotonic()
    assert not cache.trusted(of_p, CANTON, now) and not cache.trusted(wide, CANTON, now)
    assert cache.trusted(of_q, CANTON, now)
    cache.note_event(None)  # an event about no programme may concern any part
    assert not cache.trusted(of_q, CANTON, time.monotonic())
    confirmed_again = _part(P)  # a part confirmed by its service after the events is trusted again
    assert cache.trusted(confirmed_again, CANTON, time.monotonic())


def test_a_write_distrusts_only_its_audiences_parts_and_a_reset_everything() -> None:
    cache = _cache()
    part = _part(P)
    cache.note_write(CANTON)
    assert not cache.trusted(part, CANTON, time.monotonic())
    assert cache.trusted(part, PARTNER, time.monotonic())
    cache.reset()
    assert not cache.trusted(part, PARTNER, time.monotonic())


MEASURES = "/api/programme/v1/measures"
COCKPIT = f"/api/v1/views/canton/programmes/{BL_KIP3}?year=2025"


async def _measure(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[str, str]:
    listed = await client.get(MEASURES, params={"programme_id": str(BL_KIP3)}, headers=headers)
    measure_id = listed.json()["items"][0]["id"]
    etag = (await client.get(f"{MEASURES}/{measure_id}", headers=headers)).headers["etag"]
    return measure_id, etag


@needs("programme", "funding", "evaluation")
async def test_a_trusted_view_is_not_asked_again_but_its_writers_own_write_shows_at_once(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory, changes_data: None
) -> None:
    """A follower that is healthy but delivers no event: only the trust bound and the writer's own writes count."""
    app = gateway_app(platform, auth_settings, view_cache_events="off", view_cache_trust_seconds=60)
    editor, viewer = token("canton-editor", canton="BL"), token("canton-viewer", canton="BL")
    async with app.router.lifespan_context(app):
        cache: PartCache = app.state.view_cache
        cache.follower_healthy = lambda: True
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client:
            for headers in (editor, viewer):
                first = await client.get(COCKPIT, headers=headers)
                assert first.status_code == 200
            asked = cache.fetched + cache.revalidated
            again = await client.get(COCKPIT, headers={**viewer, "If-None-Match": first.headers["etag"]})
            assert again.status_code == 304 and cache.fetched + cache.revalidated == asked  # no service asked
            measure_id, etag = await _measure(client, editor)
            changed = await client.patch(
                f"{MEASURES}/{measure_id}", json={"title": "Selbst geschrieben"}, headers={**editor, "If-Match": etag}
            )
            assert changed.status_code == 200, changed.text
            assert "Selbst geschrieben" in (await client.get(COCKPIT, headers=editor)).text  # read-your-writes
            # Another audience learns of it by an event; none comes here, so it keeps what it was shown.
            assert "Selbst geschrieben" not in (await client.get(COCKPIT, headers=viewer)).text
            cache.note_event(str(BL_KIP3))
            assert "Selbst geschrieben" in (await client.get(COCKPIT, headers=viewer)).text
