"""Plain factory functions for the webhooks service's tests."""

from __future__ import annotations

from typing import Any

import httpx

#: A public address literal: registration resolves nothing and connects to nothing, so no network is needed.
PUBLIC_URL = "https://93.184.215.14/kip-hook"


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def register(client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    payload = {"url": PUBLIC_URL, "event_types": ["programme.measure.changed"]} | overrides
    response = await client.post("/v1/webhooks", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
