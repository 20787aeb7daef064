"""The webhooks service behind the gateway: `/api/v1/webhooks` reaches it with the caller's token, its problems
come back as they are, its operations are in the merged OpenAPI document, and readiness names it."""

from __future__ import annotations

import httpx
import pytest

from kit.settings import AuthSettings
from tests.gateway.conftest import Platform, TokenFactory, gateway_app, needs

pytestmark = [needs("webhooks", "programme", "funding", "evaluation"), pytest.mark.usefixtures("changes_data")]
PUBLIC_URL = "https://93.184.215.14/kip-hook"


async def test_webhooks_are_registered_and_read_through_the_gateway(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    bl = token("canton-editor", canton="BL")
    created = await client.post(
        "/api/v1/webhooks", json={"url": PUBLIC_URL, "event_types": ["funding.disbursement.approved"]}, headers=bl
    )
    assert created.status_code == 201, created.text
    assert created.json()["secret"].startswith("whsec_")
    endpoint_id = created.json()["id"]
    assert created.headers["location"] == f"/api/v1/webhooks/{endpoint_id}"
    read = await client.get(f"/api/v1/webhooks/{endpoint_id}", headers=bl)
    assert read.status_code == 200 and read.headers["etag"] == '"1"'
    also = await client.get(f"/api/webhooks/v1/webhooks/{endpoint_id}", headers=bl)
    assert also.json() == read.json()
    hidden = await client.get(f"/api/v1/webhooks/{endpoint_id}", headers=token("canton-editor", canton="BS"))
    assert hidden.status_code == 404
    refused = await client.post(
        "/api/v1/webhooks",
        json={"url": "https://169.254.169.254/", "event_types": ["funding.disbursement.approved"]},
        headers=bl,
    )
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    assert (await client.get("/api/v1/nothing-here", headers=bl)).status_code == 404


async def test_the_merged_document_and_readiness_name_the_webhooks_service(
    platform: Platform, auth_settings: AuthSettings
) -> None:
    app = gateway_app(platform, auth_settings, docs_prefetch=True)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://g") as client:
        document = (await client.get("/openapi.json")).json()
        assert any("webhooks" in path for path in document["paths"])
        ready = (await client.get("/readyz")).json()
        assert ready["checks"]["webhooks"] == "ok"
