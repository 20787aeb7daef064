"""`/metrics` speaks Prometheus: requests and latency by route template and status, and the database pool."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI, Request
from prometheus_client.parser import text_string_to_metric_families

from kit.ids import seed_uuid
from kit.observability import install_observability, instrument_upstream_client
from kit.upstream import pooled_transport


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_metrics_count_a_request_by_route_template_and_status(client: httpx.AsyncClient, bearer: Any) -> None:
    """Two requests more are counted two more (the app lives for the whole run, so earlier tests' requests are in
    its counters too)."""
    headers = {"Authorization": f"Bearer {bearer('sem')}"}
    labels = frozenset(
        {
            ("service", "programme"),
            ("method", "GET"),
            ("route", "/v1/programmes/{programme_id}"),
            ("status", "404"),
        }
    )
    before = samples((await client.get("/metrics")).text)
    for code in ("a", "b"):
        assert (await client.get(f"/v1/programmes/{seed_uuid('programme', code)}", headers=headers)).status_code == 404

    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    for name in ("kip_http_requests_total", "kip_http_request_duration_seconds_count"):
        assert found[(name, labels)] - before.get((name, labels), 0.0) == 2
    assert ("kip_db_pool_checked_out_connections", frozenset({("service", "programme")})) in found


async def test_metrics_are_not_in_the_openapi_document(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert "/metrics" not in paths
    assert "/healthz" in paths


async def test_the_installer_works_on_a_bare_app_like_the_gateway_and_counts_upstream_calls() -> None:
    upstream = FastAPI()

    @upstream.get("/v1/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    gateway = FastAPI()
    install_observability(gateway, "gateway")
    upstream_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=upstream), base_url="http://programme")
    instrument_upstream_client(upstream_client, "programme")

    @gateway.get("/api/things/{thing_id}")
    async def proxied(thing_id: str, request: Request) -> Any:
        return (await upstream_client.get(f"/v1/things/{thing_id}")).json()

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://gateway") as c:
        assert (await c.get("/api/things/42")).json() == {"id": "42"}
        found = samples((await c.get("/metrics")).text)
    await upstream_client.aclose()
    route = {("service", "gateway"), ("method", "GET"), ("route", "/api/things/{thing_id}"), ("status", "200")}
    assert found[("kip_http_requests_total", frozenset(route))] == 1
    call = {("service", "gateway"), ("upstream", "programme"), ("method", "GET"), ("status", "200")}
    call.add(("route", "/v1/things/{id}"))  # the id segment templated: one series per route, not per thing
    assert found[("kip_upstream_requests_total", frozenset(call))] == 1
    # no engine on the gateway: the pool gauge reads 0 instead of failing
    assert found[("kip_db_pool_checked_out_connections", frozenset({("service", "gateway")}))] == 0


async def test_a_call_that_gets_no_answer_is_counted_as_an_error_of_its_upstream_and_route() -> None:
    """kit's own transport counts its calls in the metrics of the app serving the request, with tracing off."""
    gateway = FastAPI()
    install_observability(gateway, "gateway")
    limits = httpx.Limits(max_connections=2)
    nowhere = httpx.AsyncClient(transport=pooled_transport(limits, "evaluation"), base_url="http://127.0.0.1:9")

    @gateway.get("/api/reviews/{review_id}")
    async def review(review_id: str) -> dict[str, str]:
        try:
            await nowhere.get(f"/v1/reviews/{review_id}")
        except httpx.ConnectError:
            return {"answer": "none"}
        return {"answer": "some"}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://gateway") as c:
        assert (await c.get(f"/api/reviews/{seed_uuid('review', 'x')}")).json() == {"answer": "none"}
        found = samples((await c.get("/metrics")).text)
    await nowhere.aclose()
    call = {("service", "gateway"), ("upstream", "evaluation"), ("method", "GET"), ("route", "/v1/reviews/{id}")}
    assert found[("kip_upstream_requests_total", frozenset({*call, ("status", "error")}))] == 1
