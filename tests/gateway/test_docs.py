"""One OpenAPI document and one Swagger UI for the whole platform, served without any internet access."""

from __future__ import annotations

import httpx

from gateway.docs.router import ServiceDocs
from gateway.upstream import Upstream
from kit.settings import AuthSettings
from tests.gateway.conftest import CLOSED, INSTALLED, Platform, gateway_app


async def test_openapi_lists_the_views_and_every_service_operation(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    paths = document["paths"]
    assert "/api/v1/views/partners/me" in paths
    assert "/api/programme/v1/programmes/{programme_id}" in paths
    for service in INSTALLED:
        assert any(p.startswith(f"/api/{service}/v1/") for p in paths), service
    assert "/api/programme/metrics" not in paths
    # Component names are prefixed per service, kit's shared ones appear once, and every reference resolves.
    schemas = document["components"]["schemas"]
    assert "ProgrammeRead" in schemas and "FundingAgreementRead" in schemas and "ProgrammeMeasureRead" in schemas
    assert "ProblemDetail" in schemas and not any(n.endswith("ProblemDetail") and n != "ProblemDetail" for n in schemas)
    assert all(schema.get("title", name) == name for name, schema in schemas.items())
    refs = _refs(document)
    assert refs and all(r.removeprefix("#/components/schemas/") in schemas for r in refs if "/schemas/" in r)
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values() if "operationId" in op]
    assert len(operation_ids) == len(set(operation_ids))


async def test_docs_page_loads_swagger_ui_from_the_gateway_itself(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text and "https://" not in page.text.split("<body>")[0].replace("https://fastapi", "")
    assert "/docs/static/swagger-ui-bundle.js" in page.text
    script = await client.get("/docs/static/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert (await client.get("/docs/static/swagger-ui.css")).status_code == 200


async def test_a_service_down_at_startup_appears_in_the_docs_once_it_answers(
    platform: Platform, auth_settings: AuthSettings
) -> None:
    app = gateway_app(platform, auth_settings, down=("programme",))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        before = (await client.get("/openapi.json")).json()
        assert not any(p.startswith("/api/programme/") for p in before["paths"])
        assert "programme" in before["info"]["x-missing-services"]
        # The programme service comes up: the next request for the document picks it up.
        upstream: Upstream = app.state.upstreams["programme"]
        closed = upstream.client
        upstream.client = httpx.AsyncClient(transport=platform.transport("programme"), base_url="http://p")
        await closed.aclose()
        after = (await client.get("/openapi.json")).json()
        await upstream.client.aclose()
    assert "/api/programme/v1/programmes" in after["paths"]
    assert "programme" not in after["info"].get("x-missing-services", [])


async def test_service_docs_are_kept_once_read(platform: Platform) -> None:
    upstream = Upstream("programme", httpx.AsyncClient(base_url=CLOSED))
    docs = ServiceDocs({"programme": upstream}, wait=1.0)
    await docs.refresh_missing()
    assert docs.documents["programme"] is None
    await upstream.client.aclose()
    upstream.client = httpx.AsyncClient(transport=platform.transport("programme"), base_url="http://p")
    await docs.refresh_missing()
    first = docs.documents["programme"]
    assert first is not None and "/v1/programmes" in first["paths"]
    await upstream.client.aclose()
    await docs.refresh_missing()  # nothing asked again: the kept document stays
    assert docs.documents["programme"] is first


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k == "$ref" and isinstance(v, str)]
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []
