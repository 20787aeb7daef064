"""Concurrent editors: with one ETag, exactly one change wins; the others get 412."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
from programme_factories import BL_KIP3, MEASURE_ALD


async def test_fifty_concurrent_updates_with_one_etag_make_exactly_one_change(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bl = token("canton-editor", canton="BL") | {"If-Match": '"1"'}
    responses = await asyncio.gather(
        *(client.patch(f"/v1/measures/{MEASURE_ALD}", json={"title": f"Titel {i}"}, headers=bl) for i in range(50))
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 412: 49}, statuses
    winner = next(r for r in responses if r.status_code == 200).json()["title"]
    current = await client.get(f"/v1/measures/{MEASURE_ALD}", headers=bl)
    assert current.json()["title"] == winner
    assert current.headers["etag"] == '"2"'


async def test_concurrent_programme_updates_never_lose_a_change_silently(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bl = token("canton-editor", canton="BL") | {"If-Match": '"1"'}
    responses = await asyncio.gather(
        *(client.patch(f"/v1/programmes/{BL_KIP3}", json={"note": f"n{i}"}, headers=bl) for i in range(20))
    )
    assert sorted(r.status_code for r in responses) == [200] + [412] * 19
