"""When the views' cache may use a kept part without asking its service: only with a healthy event follower, within
the trust bound, and while no event, reset or write of its audience came after the part was last confirmed."""

from __future__ import annotations

import time
import uuid

from gateway.cache import Part, PartCache, audience, programme_scope
from kit.auth import Principal, Role

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
