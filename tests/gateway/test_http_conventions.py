"""HTTP as generic tools expect it: HEAD, `If-Match: *`, problem `instance`, `Link` pages, CORS, gzip, readiness."""

from __future__ import annotations

import gzip
import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from kit.settings import AuthSettings
from tests.gateway.conftest import BL_KIP3, Platform, TokenFactory, gateway_app, needs

MEASURES = "/api/programme/v1/measures"
COCKPIT = f"/api/v1/views/canton/programmes/{BL_KIP3}?year=2025"


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


@needs("programme", "funding", "evaluation")
@pytest.mark.parametrize("path", ["/healthz", MEASURES, f"{MEASURES}?limit=2", COCKPIT])
async def test_head_answers_like_get_without_a_body(client: httpx.AsyncClient, token: TokenFactory, path: str) -> None:
    headers = token("canton-editor", canton="BL")
    got = await client.get(path, headers=headers)
    head = await client.head(path, headers=headers)
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    assert head.headers.get("etag") == got.headers.get("etag")
    assert head.headers["content-type"] == got.headers["content-type"]


@needs("programme")
async def test_head_on_a_service_itself(platform: Platform, token: TokenFactory) -> None:
    transport = platform.transport("programme")
    async with httpx.AsyncClient(transport=transport, base_url="http://programme") as service:
        response = await service.head("/v1/measures", headers=token("sem"))
        missing = await service.head(f"/v1/measures/{uuid.uuid4()}", headers=token("sem"))
    assert response.status_code == 200 and response.content == b""
    assert missing.status_code == 404 and missing.content == b""


@needs("programme")
@pytest.mark.usefixtures("changes_data")
async def test_if_match_star_overwrites_and_a_missing_if_match_is_still_required(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    headers = token("canton-editor", canton="BL")
    measure = (await client.get(MEASURES, params={"programme_id": str(BL_KIP3)}, headers=headers)).json()["items"][0]
    url = f"{MEASURES}/{measure['id']}"
    etag = (await client.get(url, headers=headers)).headers["etag"]
    required = await client.patch(url, json={"title": "Ohne Vorbedingung"}, headers=headers)
    assert required.status_code == 428
    stale = await client.patch(url, json={"title": "Veraltet"}, headers={**headers, "If-Match": '"999999"'})
    assert stale.status_code == 412
    listed = await client.patch(url, json={"title": "Aus einer Liste"}, headers={**headers, "If-Match": f'"0", {etag}'})
    assert listed.status_code == 200, listed.text
    star = await client.patch(url, json={"title": "Überschrieben"}, headers={**headers, "If-Match": "*"})
    assert star.status_code == 200, star.text
    assert star.json()["title"] == "Überschrieben"
    assert star.headers["etag"] != etag


@needs("programme", "funding", "evaluation")
async def test_a_problems_instance_is_the_path_the_caller_called(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    missing = f"{MEASURES}/{uuid.uuid4()}"
    response = await client.get(missing, headers=token("sem"))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["instance"] == missing
    assert int(response.headers["content-length"]) == len(response.content)
    view = f"/api/v1/views/canton/programmes/{uuid.uuid4()}"
    response = await client.get(view, params={"year": 2025}, headers=token("canton-viewer", canton="BL"))
    assert response.status_code == 404
    assert response.json()["instance"] == view


@needs("programme")
async def test_pages_link_to_their_neighbours(client: httpx.AsyncClient, token: TokenFactory) -> None:
    headers = token("sem")
    first = await client.get(MEASURES, params={"limit": 2}, headers=headers)
    total = first.json()["total"]
    assert total > 4
    links = first.links
    assert "prev" not in links
    assert links["next"]["url"] == f"{MEASURES}?limit=2&offset=2"
    assert links["first"]["url"] == f"{MEASURES}?limit=2&offset=0"
    second = await client.get(links["next"]["url"], headers=headers)
    assert second.json()["offset"] == 2
    assert second.links["prev"]["url"] == f"{MEASURES}?limit=2&offset=0"
    last = await client.get(second.links["last"]["url"], headers=headers)
    assert last.json()["items"] and "next" not in last.links
    assert last.json()["offset"] + len(last.json()["items"]) == total
    # Filters stay in the links.
    filtered = await client.get(MEASURES, params={"programme_id": str(BL_KIP3), "limit": 1}, headers=headers)
    assert f"programme_id={BL_KIP3}" in filtered.links["next"]["url"]


@needs("programme")
async def test_cors_preflight_from_an_allowed_origin_only(
    platform: Platform, auth_settings: AuthSettings, client: httpx.AsyncClient, token: TokenFactory
) -> None:
    preflight = {
        "Origin": "https://app.bl.ch",
        "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "authorization, if-match",
    }
    assert (await client.options(MEASURES, headers=preflight)).status_code == 405  # no origin allowed by default
    app = gateway_app(platform, auth_settings, cors_origins=["https://app.bl.ch"])
    async with app.router.lifespan_context(app), _client(app) as allowed:
        response = await allowed.options(MEASURES, headers=preflight)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "https://app.bl.ch"
        assert "PATCH" in response.headers["access-control-allow-methods"]
        other = await allowed.options(MEASURES, headers={**preflight, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        simple = await allowed.get(MEASURES, headers={**token("sem"), "Origin": "https://app.bl.ch"})
        assert simple.headers["access-control-allow-origin"] == "https://app.bl.ch"
        assert "Link" in simple.headers["access-control-expose-headers"]


@needs("programme", "funding", "evaluation")
async def test_large_answers_are_gzipped_for_callers_that_accept_it(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    headers = {**token("sem"), "Accept-Encoding": "gzip"}
    report = f"/api/v1/views/sem/programmes/{BL_KIP3}/annual-report/2025"
    plain = await client.get(report, params={"format": "csv"}, headers={**headers, "Accept-Encoding": "identity"})
    async with client.stream("GET", report, params={"format": "csv"}, headers=headers) as packed:
        raw = b"".join([chunk async for chunk in packed.aiter_raw()])
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    # The same file but for the time it was read (`as_of`, `composed_at`), which may cross a second between reads.
    assert _timeless(gzip.decompress(raw)) == _timeless(plain.content)
    assert "content-encoding" not in plain.headers
    small = await client.get("/healthz", headers=headers)
    assert "content-encoding" not in small.headers


def _timeless(csv: bytes) -> bytes:
    return re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^,;\r\n]*", b"<time>", csv)


@needs("programme", "funding", "evaluation")
async def test_the_gateway_stays_ready_with_one_service_down(platform: Platform, auth_settings: AuthSettings) -> None:
    app = gateway_app(platform, auth_settings, down=("funding",))
    async with app.router.lifespan_context(app), _client(app) as client:
        response = await client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["funding"] != "ok" and body["checks"]["programme"] == "ok"


async def test_a_streamed_answer_is_compressed_as_it_streams_and_arrives_whole(
    platform: Platform, auth_settings: AuthSettings
) -> None:
    rows = [f"{i};Massnahme {i};{i * 1000}.00\n".encode() for i in range(5000)]

    async def stream_rows() -> AsyncIterator[bytes]:
        for row in rows:
            yield row

    app = gateway_app(platform, auth_settings)
    app.add_api_route("/export-stream", lambda: StreamingResponse(stream_rows(), media_type="text/csv"))
    gzip_only = {"Accept-Encoding": "gzip"}
    async with (
        app.router.lifespan_context(app),
        _client(app) as client,
        client.stream("GET", "/export-stream", headers=gzip_only) as packed,
    ):
        raw = [chunk async for chunk in packed.aiter_raw()]
    assert packed.headers["content-encoding"] == "gzip" and "content-length" not in packed.headers
    assert gzip.decompress(b"".join(raw)) == b"".join(rows)
