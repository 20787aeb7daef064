"""Conditional GETs: every GET answers a strong ETag, `If-None-Match` gives a `304` with the ETag and no body, on a
service itself, through the gateway's forwarding and on the composed views; a change makes the old ETag stale."""

from __future__ import annotations

import httpx
import pytest

from kit.conditional import none_match, opaque_tags
from tests.gateway.conftest import BL_KIP3, Platform, TokenFactory, needs

MEASURES = "/api/programme/v1/measures"
COCKPIT = f"/api/v1/views/canton/programmes/{BL_KIP3}?year=2025"
VIEWS = [COCKPIT, "/api/v1/views/sem/programmes?period=KIP3&year=2025"]


def test_if_none_match_is_compared_weakly_and_reads_lists_and_star() -> None:
    assert none_match('"a1"', '"a1"') and none_match('W/"a1"', '"a1"') and none_match('"a1"', 'W/"a1"')
    assert none_match('"x", W/"a1" ,"y"', '"a1"') and none_match("*", '"a1"')
    assert not none_match('"a2"', '"a1"') and not none_match(None, '"a1"') and not none_match("a1", '"a1"')
    assert opaque_tags('"a,b", "c"') == ['"a,b"', '"c"'] and opaque_tags('"a" "b"') == []


def _not_modified(response: httpx.Response, etag: str) -> None:
    assert response.status_code == 304, response.text
    assert response.content == b""
    assert response.headers["etag"] == etag
    assert "content-type" not in response.headers


@needs("programme")
async def test_a_service_list_answers_a_strong_etag_and_304(platform: Platform, token: TokenFactory) -> None:
    headers = token("canton-viewer", canton="BL")
    async with httpx.AsyncClient(transport=platform.transport("programme"), base_url="http://programme") as service:
        first = await service.get("/v1/measures", headers=headers)
        etag = first.headers["etag"]
        assert first.status_code == 200 and not etag.startswith("W/") and etag.startswith('"')
        assert (await service.get("/v1/measures", headers=headers)).headers["etag"] == etag  # derived from the body
        for condition in (etag, f"W/{etag}", f'"other", {etag}', "*"):
            _not_modified(await service.get("/v1/measures", headers={**headers, "If-None-Match": condition}), etag)
        other = await service.get("/v1/measures", headers={**headers, "If-None-Match": '"other"'})
        assert other.status_code == 200 and other.json() == first.json()
        # Another page is another answer, with another tag.
        page = await service.get("/v1/measures?limit=1", headers={**headers, "If-None-Match": etag})
        assert page.status_code == 200 and page.headers["etag"] != etag


@needs("programme")
async def test_a_forwarded_get_passes_if_none_match_and_the_304_back(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    headers = token("canton-viewer", canton="BL")
    for path in (f"/api/programme/v1/programmes/{BL_KIP3}", MEASURES):
        etag = (await client.get(path, headers=headers)).headers["etag"]
        _not_modified(await client.get(path, headers={**headers, "If-None-Match": etag}), etag)
        head = await client.head(path, headers={**headers, "If-None-Match": etag})
        assert head.status_code == 304 and head.content == b""


@needs("programme", "funding", "evaluation")
@pytest.mark.parametrize("path", VIEWS)
async def test_a_view_answers_an_etag_and_304(client: httpx.AsyncClient, token: TokenFactory, path: str) -> None:
    headers = token("sem") if "/sem/" in path else token("canton-viewer", canton="BL")
    first = await client.get(path, headers=headers)
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]
    _not_modified(await client.get(path, headers={**headers, "If-None-Match": etag}), etag)


@needs("programme", "funding", "evaluation")
async def test_the_partner_view_answers_an_etag_and_304(client: httpx.AsyncClient, token: TokenFactory) -> None:
    headers = token("partner", partner="heks-bb")
    etag = (await client.get("/api/v1/views/partners/me", headers=headers)).headers["etag"]
    _not_modified(await client.get("/api/v1/views/partners/me", headers={**headers, "If-None-Match": etag}), etag)


@needs("programme", "funding", "evaluation")
@pytest.mark.usefixtures("changes_data")
async def test_a_change_makes_the_old_etags_stale(client: httpx.AsyncClient, token: TokenFactory) -> None:
    headers = token("canton-editor", canton="BL")
    listed = await client.get(MEASURES, params={"programme_id": str(BL_KIP3)}, headers=headers)
    measure = listed.json()["items"][0]
    url = f"{MEASURES}/{measure['id']}"
    before = {p: (await client.get(p, headers=headers)).headers["etag"] for p in (url, COCKPIT)}
    list_etag = listed.headers["etag"]
    changed = await client.patch(url, json={"title": "Neu benannt"}, headers={**headers, "If-Match": before[url]})
    assert changed.status_code == 200, changed.text
    for path, etag in before.items():
        again = await client.get(path, headers={**headers, "If-None-Match": etag})
        assert again.status_code == 200 and again.headers["etag"] != etag, path
    again = await client.get(
        MEASURES, params={"programme_id": str(BL_KIP3)}, headers={**headers, "If-None-Match": list_etag}
    )
    assert again.status_code == 200 and again.headers["etag"] != list_etag
    assert any(m["title"] == "Neu benannt" for m in again.json()["items"])
