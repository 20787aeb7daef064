"""Reading the gateway's event feed in tests, as each audience, after a cursor."""

from __future__ import annotations

from typing import Any

import httpx

from kit.ids import seed_uuid

PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))
INFORMATION = str(seed_uuid("funding-area", "KIP3/information_needs_assessment_counselling"))
ALD = str(seed_uuid("partner", "ald"))
SRK = str(seed_uuid("partner", "srk-bl"))
#: Who reads the feed: SEM, BL's office, another canton's office, the partner concerned and another partner.
AUDIENCES = ("sem", "bl", "zh", "ald", "srk")


def headers(token: Any, audience: str) -> dict[str, str]:
    if audience == "sem":
        return dict(token("sem"))
    if audience in ("bl", "zh"):
        return dict(token("canton-viewer", canton=audience.upper()))
    return dict(token("partner", partner={"ald": "ald", "srk": "srk-bl"}[audience]))


async def read_after(client: httpx.AsyncClient, auth: dict[str, str], cursor: str | None) -> tuple[list[Any], str]:
    """Every event after `cursor` the caller may see, page by page; and the cursor at the end."""
    found: list[Any] = []
    while True:
        params = {"limit": 200} | ({"after": cursor} if cursor else {})
        response = await client.get("/api/v1/events", headers=auth, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["degraded"] == []
        if not page["events"]:
            return found, page["cursor"]
        found.extend(page["events"])
        cursor = page["cursor"]


class Feed:
    """The feed's end before a change, and what each audience sees after it."""

    def __init__(self, client: httpx.AsyncClient, token: Any) -> None:
        self.client = client
        self.token = token
        self.start: str | None = None

    async def tail(self) -> str:
        _, self.start = await read_after(self.client, headers(self.token, "sem"), None)
        return self.start

    async def seen(self) -> dict[str, list[Any]]:
        return {a: (await read_after(self.client, headers(self.token, a), self.start))[0] for a in AUDIENCES}

    async def assert_audience(self, type_: str, resource_id: str, audience: set[str]) -> dict[str, Any]:
        """The event `type_` about `resource_id` is in the feed of exactly `audience`; returns SEM's copy."""
        seen = await self.seen()
        holders = {a for a, events in seen.items() if any(_about(e, type_, resource_id) for e in events)}
        assert holders == audience, f"{type_} on {resource_id} seen by {sorted(holders)}, expected {sorted(audience)}"
        for outsider in set(AUDIENCES) - audience:
            assert not [e for e in seen[outsider] if e["data"]["id"] == resource_id], f"{outsider} saw {resource_id}"
        event: dict[str, Any] = next(e for e in seen["sem"] if _about(e, type_, resource_id))
        assert event["specversion"] == "1.0" and event["datacontenttype"] == "application/json"
        assert event["source"] == f"/kip/{type_.split('.')[0]}"
        assert event["subject"].endswith(resource_id)
        return event


def _about(event: dict[str, Any], type_: str, resource_id: str) -> bool:
    return bool(event["type"] == type_ and event["data"]["id"] == resource_id)
