"""What the views ask the services for: the partner view in one round of calls (one indicator call however many
measures), the rules that decide what concerns a partner applied by the services, and the same answers as the
part-by-part rules gave."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.main import create_app
from gateway.settings import SERVICES, GatewaySettings
from kit.ids import seed_uuid
from kit.settings import AuthSettings
from tests.gateway.conftest import BL_KIP3, Platform, TokenFactory, needs

ME = "/api/v1/views/partners/me"


class Recording(httpx.AsyncBaseTransport):
    """A service's transport that notes every request's path and whether another one had already been answered."""

    def __init__(self, inner: httpx.AsyncBaseTransport, seen: list[tuple[str, str, int]], answered: list[int]) -> None:
        self.inner, self.seen, self.answered = inner, seen, answered

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.url.host, request.url.path, len(self.answered)))
        response = await self.inner.handle_async_request(request)
        self.answered.append(1)
        return response


@pytest.fixture
async def recorded(
    platform: Platform, auth_settings: AuthSettings
) -> AsyncIterator[tuple[FastAPI, list[tuple[str, str, int]], list[int]]]:
    seen: list[tuple[str, str, int]] = []
    answered: list[int] = []
    transports: dict[str, httpx.AsyncBaseTransport] = {
        s: Recording(platform.transport(s), seen, answered) for s in platform.services
    }
    urls: dict[str, Any] = {f"{s}_url": f"http://{s}" for s in SERVICES}
    app = create_app(GatewaySettings(**urls, docs_prefetch=False, view_cache="off"), auth_settings, transports)
    async with app.router.lifespan_context(app):
        yield app, seen, answered


@needs("funding", "evaluation")
async def test_the_partner_view_asks_every_part_at_once(
    recorded: tuple[FastAPI, list[tuple[str, str, int]], list[int]], token: TokenFactory
) -> None:
    app, seen, answered = recorded
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client:
        seen.clear()
        answered.clear()
        view = (await client.get(ME, headers=token("partner", partner="heks-bb"))).json()
    assert len(view["measures"]) == 2 and view["degraded"] == []
    calls = [(host, path) for host, path, _ in seen]
    assert calls.count(("evaluation", "/v1/indicators")) == 1, calls
    assert all(before == 0 for _, _, before in seen), "every part was asked before any was answered"


@needs("funding", "evaluation")
async def test_the_partner_view_shows_what_the_part_by_part_rules_showed(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    """Indicators measure by measure in the order of the partner's measures; evaluations those that name the
    partner or look at a measure it delivers; for two partners, neither sees the other's."""
    shown = 0
    for slug in ("heks-bb", "ald", "srk-bl"):
        me = token("partner", partner=slug)
        partner_id = str(seed_uuid("partner", slug))
        view = (await client.get(ME, headers=me)).json()
        assert view["degraded"] == []
        expected = []
        for measure in view["measures"]:
            params = {"measure_id": measure["id"]}
            expected += (await client.get("/api/evaluation/v1/indicators", params=params, headers=me)).json()
        assert [i["id"] for i in view["indicators"]] == [i["id"] for i in expected]
        shown += len(expected)
        visible = (await client.get("/api/evaluation/v1/evaluations", params={"limit": 500}, headers=me)).json()
        measure_ids = {m["id"] for m in view["measures"]}
        concerning = [
            e["id"] for e in visible["items"] if partner_id in e["partner_ids"] or measure_ids & set(e["measure_ids"])
        ]
        assert [e["id"] for e in view["evaluations"]] == concerning
        assert all(partner_id in e["partner_ids"] for e in view["evaluations"])
    assert shown, "some partner has indicators, so their order is compared"


@needs("funding", "evaluation")
async def test_the_cockpit_shows_each_areas_money_as_the_sum_of_its_lines(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    view = (
        await client.get(
            f"/api/v1/views/canton/programmes/{BL_KIP3}",
            params={"year": 2025},
            headers=token("canton-viewer", canton="BL"),
        )
    ).json()
    figures = ("original_plan", "plan_in_force", "committed", "disbursed", "spent")
    assert any(area["money"] for area in view["areas"])
    for area in view["areas"]:
        summed = {f: sum((Decimal(line[f]) for line in area["money"]), Decimal("0")) for f in figures}
        assert {f: Decimal(area["totals"][f]) for f in figures} == summed
    other = await client.get(f"/api/v1/views/canton/programmes/{BL_KIP3}", headers=token("canton-viewer", canton="ZH"))
    assert other.status_code == 404
