"""The composed views against the real services: what they show, and how they degrade when a service is down."""

from __future__ import annotations

import time
from decimal import Decimal

import httpx
from fastapi import FastAPI

from kit.settings import AuthSettings
from tests.gateway.conftest import BL_KIP3, Platform, TokenFactory, gateway_app, needs

COCKPIT = f"/api/v1/views/canton/programmes/{BL_KIP3}"
OVERVIEW = "/api/v1/views/sem/programmes?period=KIP3&year=2025"
REPORT = f"/api/v1/views/sem/programmes/{BL_KIP3}/annual-report/2025"


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


@needs("funding", "evaluation")
async def test_canton_cockpit_shows_areas_goals_measures_money_and_matching(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await client.get(COCKPIT, params={"year": 2025}, headers=token("canton-viewer", canton="BL"))
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["degraded"] == []
    assert len(view["areas"]) == 7
    language = next(a for a in view["areas"] if a["funding_area"]["code"] == "language")
    assert any(m["code"] == "BL-2.01" for m in language["measures"])
    assert language["goals"]
    # The areas' money adds up to the programme's totals, to the Rappen.
    plan = sum(Decimal(a["totals"]["plan_in_force"]) for a in view["areas"])
    assert plan == Decimal(view["totals"]["plan_in_force"]) > 0
    assert view["matching"]["planned"]["status"] in ("met", "not_met")
    assert "headroom" in view["matching"]["planned"]
    assert {"used", "left"} <= set(view["matching"]["credit"])
    levels = view["matching_levels"]
    statuses = [levels[k]["status"] for k in ("planned", "committed", "actual")]
    assert levels["worst"] == ("not_met" if "not_met" in statuses else "met")
    assert levels["planned"] == view["matching"]["planned"]
    assert isinstance(view["warnings"], list)
    assert all(isinstance(e["status"], str) for e in view["evaluations"])
    assert all(item["overdue"] for item in view["overdue"])


@needs("funding", "evaluation")
async def test_cockpit_with_funding_stopped_is_degraded_not_failed_within_its_timeout(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory
) -> None:
    app = gateway_app(platform, auth_settings, down=("funding",), canton_view_timeout=5.0)
    async with app.router.lifespan_context(app), _client(app) as client:
        started = time.monotonic()
        response = await client.get(COCKPIT, headers=token("canton-viewer", canton="BL"))
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    view = response.json()
    assert view["degraded"] == ["finances", "warnings"]
    assert view["totals"] is None and view["matching"] is None and view["matching_levels"] is None
    assert view["areas"][0]["measures"] is not None
    assert elapsed < 5.0


@needs("funding", "evaluation")
async def test_a_silent_service_cannot_hold_a_view_past_its_deadline(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory, silent_port: str
) -> None:
    app = gateway_app(
        platform, auth_settings, urls={"evaluation": silent_port}, evaluation_timeout=10.0, canton_view_timeout=3.0
    )
    async with app.router.lifespan_context(app), _client(app) as client:
        started = time.monotonic()
        response = await client.get(COCKPIT, headers=token("canton-viewer", canton="BL"))
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.json()["degraded"] == ["evaluations", "overdue"]
    assert 3.0 <= elapsed < 4.5  # the view's budget, not the evaluation client's 10 s


async def test_a_required_part_down_fails_the_view_as_502_and_slow_as_504(
    platform: Platform, auth_settings: AuthSettings, token: TokenFactory, silent_port: str
) -> None:
    down = gateway_app(platform, auth_settings, down=("programme",))
    async with down.router.lifespan_context(down), _client(down) as client:
        failed = await client.get(COCKPIT, headers=token("canton-viewer", canton="BL"))
    assert failed.status_code == 502
    assert failed.json()["service"] == "programme"
    slow = gateway_app(platform, auth_settings, urls={"programme": silent_port}, canton_view_timeout=0.4)
    async with slow.router.lifespan_context(slow), _client(slow) as client:
        timed_out = await client.get(COCKPIT, headers=token("canton-viewer", canton="BL"))
    assert timed_out.status_code == 504
    assert timed_out.headers["content-type"].startswith("application/problem+json")
    assert timed_out.json()["service"] == "programme"


async def test_another_cantons_programme_is_not_found_through_the_cockpit(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await client.get(COCKPIT, headers=token("canton-viewer", canton="ZH"))
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"


@needs("funding", "evaluation")
async def test_sem_overview_lists_each_programme_with_totals_matching_and_report_state(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await client.get(OVERVIEW, headers=token("sem"))
    assert response.status_code == 200
    view = response.json()
    bl = next(p for p in view["programmes"] if p["programme"]["canton"] == "BL")
    assert bl["programme"]["period"] == "KIP3"
    by_source = sum(Decimal(s["plan_in_force"]) for s in bl["by_source"])
    assert by_source == Decimal(bl["totals"]["plan_in_force"])
    assert bl["matching_status"] in ("met", "not_met")
    assert bl["annual_report"]["submitted"] is False
    assert view["degraded"] == []


async def test_sem_overview_is_for_sem_only(client: httpx.AsyncClient, token: TokenFactory) -> None:
    for headers in (token("canton-editor", canton="BL"), token("partner", partner="ald")):
        response = await client.get(OVERVIEW, headers=headers)
        assert response.status_code == 403
        assert response.json()["type"] == "/problems/forbidden"


@needs("funding", "evaluation")
async def test_annual_report_has_goals_evaluations_key_figures_finances_and_matching(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await client.get(REPORT, headers=token("sem"))
    assert response.status_code == 200
    report = response.json()
    assert report["degraded"] == []
    assert report["programme"]["canton"] == "BL" and report["year"] == 2025
    indicators = [i for g in report["goals"] for i in g["indicators"]]
    assert any(i["target"] is not None and i["to_date"]["value"] is not None for i in indicators)
    assert all(g["code"] for g in report["goals"])
    assert isinstance(report["evaluations"], list) and isinstance(report["key_figures"], list)
    rows = report["finances"]["rows"]
    assert sum(Decimal(r["spent"]) for r in rows) == Decimal(report["finances"]["totals"]["spent"])
    assert report["matching"]["planned"]["status"] in ("met", "not_met")
