"""Forwarding through `/api/<service>/…`: the caller's token, ids and trace context go along; answers come back
as the service gave them; timeouts are 504 and unreachable services 502, both naming the service."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from gateway.main import create_app
from gateway.settings import GatewaySettings
from kit.settings import AuthSettings
from tests.gateway.conftest import BL_KIP3, Platform, TokenFactory, gateway_app, needs


async def test_canton_reads_a_programme_through_the_gateway(client: httpx.AsyncClient, token: TokenFactory) -> None:
    response = await client.get(f"/api/programme/v1/programmes/{BL_KIP3}", headers=token("canton-viewer", canton="BL"))
    assert response.status_code == 200
    body = response.json()
    assert body["canton"] == "BL" and body["period"]["code"] == "KIP3"
    assert response.headers["etag"]


async def test_request_id_and_trace_context_travel_to_the_service(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    headers = {
        **token("sem"),
        "X-Request-ID": "0f6c1a1e9b7e4d7c8a4c2d8e6f1b3a55",
        "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    }
    response = await client.get("/api/programme/v1/programmes/00000000-0000-0000-0000-000000000000", headers=headers)
    assert response.status_code == 404
    # The service's own problem passes through unchanged, and it saw the caller's request id.
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "/problems/not-found"
    assert response.json()["request_id"] == "0f6c1a1e9b7e4d7c8a4c2d8e6f1b3a55"


async def test_gateway_refuses_a_missing_or_forged_token_before_forwarding(client: httpx.AsyncClient) -> None:
    missing = await client.get("/api/programme/v1/programmes")
    assert missing.status_code == 401
    assert missing.json()["type"] == "/problems/unauthorized"
    forged = await client.get("/api/programme/v1/programmes", headers={"Authorization": "Bearer not.a.jwt"})
    assert forged.status_code == 401


async def test_validation_problem_of_a_write_passes_through_unchanged(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await client.post(
        "/api/programme/v1/measures", json={"title": ""}, headers=token("canton-editor", canton="BL")
    )
    assert response.status_code == 422
    fields = {".".join(map(str, e["loc"])) for e in response.json()["errors"]}
    assert "body.programme_id" in fields


@needs("funding")
async def test_end_to_end_headers_such_as_idempotency_key_reach_the_service(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    editor = token("canton-editor", canton="BL")
    without = await client.post("/api/funding/v1/disbursements", json={}, headers=editor)
    assert without.status_code == 422
    assert any(e["loc"] == ["header", "Idempotency-Key"] for e in without.json()["errors"])
    with_key = await client.post(
        "/api/funding/v1/disbursements", json={}, headers={**editor, "Idempotency-Key": "gw-test-0001"}
    )
    assert with_key.status_code == 422
    assert not any(e["loc"][0] == "header" for e in with_key.json()["errors"])


async def test_unknown_service_and_metrics_are_not_forwarded(client: httpx.AsyncClient, token: TokenFactory) -> None:
    assert (await client.get("/api/nothing/v1/x", headers=token("sem"))).status_code == 404
    assert (await client.get("/api/programme/metrics", headers=token("sem"))).status_code == 404
    assert (await client.get("/api/programme/v1/../metrics", headers=token("sem"))).status_code == 404


async def test_unreachable_service_is_a_502_naming_it(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory
) -> None:
    app = gateway_app(platform, auth_settings, down=("programme",))
    async with app.router.lifespan_context(app), _client(app) as client:
        response = await client.get("/api/programme/v1/programmes", headers=token("sem"))
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["service"] == "programme"
    assert response.json()["type"] == "/problems/upstream-failed"


async def test_service_that_does_not_answer_is_a_504_within_its_timeout(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory, silent_port: str
) -> None:
    app = gateway_app(platform, auth_settings, urls={"programme": silent_port}, programme_timeout=0.3)
    async with app.router.lifespan_context(app), _client(app) as client:
        response = await client.get("/api/programme/v1/programmes", headers=token("sem"))
    assert response.status_code == 504
    assert response.json() | {"service": "programme", "type": "/problems/upstream-timeout"} == response.json()


async def test_a_failed_get_is_retried_once_and_a_write_never(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory
) -> None:
    """A connection that breaks before every other request: a GET succeeds on its retry, a POST is a 502."""
    calls: list[str] = []
    inner = platform.transport("programme")

    class BreaksEveryOther(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            calls.append(request.method if request.url.path != "/openapi.json" else "document")
            if len(calls) % 2 == 1:
                raise httpx.ConnectError("connection reset before the request was sent", request=request)
            return await inner.handle_async_request(request)

    app = create_app(GatewaySettings(docs_prefetch=False), auth_settings, {"programme": BreaksEveryOther()})
    async with app.router.lifespan_context(app), _client(app) as client:
        got = await client.get(f"/api/programme/v1/programmes/{BL_KIP3}", headers=token("sem"))
        posted = await client.post("/api/programme/v1/periods", json={}, headers=token("sem"))
    assert got.status_code == 200 and got.json()["id"] == str(BL_KIP3)
    assert posted.status_code == 502 and posted.json()["service"] == "programme"
    assert calls == ["document", "document", "GET", "GET", "POST"], "the document is read first, then the calls"


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")
