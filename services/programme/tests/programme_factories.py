"""Plain factory functions for the programme service's test data, all through the HTTP API."""

from __future__ import annotations

from typing import Any

import httpx

from kit.ids import seed_uuid

BL_KIP3 = str(seed_uuid("programme", "BL-KIP3"))
BL_KIP2BIS = str(seed_uuid("programme", "BL-KIP2bis"))
ALD = str(seed_uuid("partner", "ald"))
SRK = str(seed_uuid("partner", "srk-bl"))
HEKS = str(seed_uuid("partner", "heks-bb"))
LANGUAGE = str(seed_uuid("funding-area", "KIP3/language"))
EARLY_CHILDHOOD = str(seed_uuid("funding-area", "KIP3/early_childhood"))
INFORMATION = str(seed_uuid("funding-area", "KIP3/information_needs_assessment_counselling"))
KIP2BIS_LANGUAGE = str(seed_uuid("funding-area", "KIP2bis/2.1"))
GOAL_LANGUAGE = str(seed_uuid("goal", "KIP3/2.1"))
MEASURE_ALD = str(seed_uuid("measure", "BL-KIP3/BL-1.02"))
MEASURE_SRK = str(seed_uuid("measure", "BL-KIP3/BL-4.01"))


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """Assert a problem+json answer with this status and return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/problems/")
    return body


def field_names(body: dict[str, Any]) -> set[str]:
    return {".".join(str(p) for p in e["loc"]) for e in body.get("errors") or []}


async def create_programme(client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    payload = {"canton": "BS", "period": "KIP3", "title": "KIP 3 Basel-Stadt"} | overrides
    response = await client.post("/v1/programmes", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def create_partner(client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    payload = {
        "canton": "BL",
        "slug": "test-partner",
        "name": "Testverein",
        "short_name": "TV",
        "kind": "association",
    } | overrides
    response = await client.post("/v1/partners", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def measure_payload(**overrides: Any) -> dict[str, Any]:
    return {
        "programme_id": BL_KIP3,
        "funding_area_id": LANGUAGE,
        "code": "BL-2.99",
        "title": "Deutschkurse am Abend",
        "target_groups": ["third_countries"],
        "partner_id": ALD,
        "communes": ["Liestal", "Pratteln"],
        "start_date": "2025-01-01",
        "end_date": "2026-12-31",
        "goal_ids": [GOAL_LANGUAGE],
    } | overrides
