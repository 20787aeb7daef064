"""The annual report's journey to SEM and back, through the gateway: only after its year, complete or refused with
what is missing, received then returned or accepted by SEM, resubmitted as the next version, on the due lists."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from kit.ids import seed_uuid
from tests.gateway.conftest import BL_KIP3, Platform, TokenFactory, needs

VIEWS = "/api/v1/views"
REPORT_2024 = f"{VIEWS}/sem/programmes/{BL_KIP3}/annual-report/2024"
SUBMIT_2024 = f"{VIEWS}/canton/programmes/{BL_KIP3}/annual-report/2024/submit"
ACKNOWLEDGED = {"acknowledged_warnings": ["illustrative_figures", "national_value_missing"]}

pytestmark = [needs("funding", "evaluation"), pytest.mark.usefixtures("changes_data")]


def _today(platform: Platform, day: dt.date) -> None:
    platform.services["evaluation"].state.get_today = lambda: day


async def test_a_report_is_submitted_only_after_its_year_has_ended(
    client: httpx.AsyncClient, token: TokenFactory, platform: Platform
) -> None:
    _today(platform, dt.date(2026, 6, 1))
    editor = token("canton-editor", canton="BL")
    for year in (2026, 2027):
        early = await client.post(f"{VIEWS}/canton/programmes/{BL_KIP3}/annual-report/{year}/submit", headers=editor)
        assert early.status_code == 422, early.text
        assert early.json()["type"].endswith("annual-report/year-not-ended")
        assert early.json()["errors"][0]["loc"] == ["path", "year"]


async def test_an_incomplete_report_is_refused_with_what_is_missing(
    client: httpx.AsyncClient, token: TokenFactory, platform: Platform
) -> None:
    _today(platform, dt.date(2026, 6, 1))
    editor = token("canton-editor", canton="BL")
    refused = await client.post(
        f"{VIEWS}/canton/programmes/{BL_KIP3}/annual-report/2025/submit", json=ACKNOWLEDGED, headers=editor
    )
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["type"].endswith("annual-report/incomplete")
    errors = {(c["code"], c["indicator_id"]) for c in body["checks"] if c["severity"] == "error"}
    code = {str(seed_uuid("indicator", f"BL-KIP3/{c}")): c for c in ("BL-1.01-a", "BL-1.02-a", "BL-2.01-a")}
    code |= {str(seed_uuid("indicator", f"BL-KIP3/{c}")): c for c in ("BL-2.01-b", "BL-4.01-a")}
    named = {(kind, code[i]) for kind, i in errors}
    # Three indicators have a 2025 target and no 2025 value; two have a value not yet confirmed.
    assert named == {
        ("value_missing", "BL-1.01-a"),
        ("value_missing", "BL-1.02-a"),
        ("value_missing", "BL-2.01-a"),
        ("value_missing", "BL-2.01-b"),
        ("value_missing", "BL-4.01-a"),
        ("value_unconfirmed", "BL-1.01-a"),
        ("value_unconfirmed", "BL-4.01-a"),
    }
    nothing = await client.get(f"{VIEWS}/sem/programmes/{BL_KIP3}/annual-report/2025/submitted", headers=token("sem"))
    assert nothing.status_code == 404


async def test_warnings_block_until_acknowledged_and_the_answer_locates_the_frozen_version(
    client: httpx.AsyncClient, token: TokenFactory, platform: Platform
) -> None:
    _today(platform, dt.date(2026, 6, 1))
    editor = token("canton-editor", canton="BL")
    unacknowledged = await client.post(SUBMIT_2024, headers=editor)
    assert unacknowledged.status_code == 422, unacknowledged.text
    checks = unacknowledged.json()["checks"]
    assert {c["severity"] for c in checks} == {"warning"}
    assert {c["code"] for c in checks} == {"illustrative_figures", "national_value_missing"}
    partly = await client.post(SUBMIT_2024, json={"acknowledged_warnings": ["illustrative_figures"]}, headers=editor)
    assert partly.status_code == 422 and {c["code"] for c in partly.json()["checks"]} == {"national_value_missing"}

    submitted = await client.post(SUBMIT_2024, json=ACKNOWLEDGED, headers=editor)
    assert submitted.status_code == 201, submitted.text
    location = submitted.headers["location"]
    assert location == f"{REPORT_2024}/submitted?version=1"
    frozen = await client.get(location, headers=token("sem"))
    assert frozen.status_code == 200 and frozen.json()["number"] == 1
    assert frozen.json()["report"] == submitted.json()["report"]


async def test_sem_returns_the_report_the_canton_resubmits_and_sem_accepts_the_next_version(
    client: httpx.AsyncClient, token: TokenFactory, platform: Platform
) -> None:
    _today(platform, dt.date(2025, 3, 1))
    editor, sem = token("canton-editor", canton="BL"), token("sem")
    decisions = f"{REPORT_2024}/decisions"
    assert (await client.post(SUBMIT_2024, json=ACKNOWLEDGED, headers=editor)).status_code == 201

    too_early = await client.post(decisions, json={"decision": "accepted"}, headers=sem)
    assert too_early.status_code == 409 and too_early.json()["type"].endswith("annual-report/decision-out-of-order")
    assert (await client.post(decisions, json={"decision": "received"}, headers=editor)).status_code == 403
    received = await client.post(decisions, json={"decision": "received"}, headers=sem)
    assert received.status_code == 201 and received.json()["status"] == "received"
    under_review = await client.post(SUBMIT_2024, json=ACKNOWLEDGED, headers=editor)
    assert under_review.status_code == 409, under_review.text

    silent = await client.post(decisions, json={"decision": "returned"}, headers=sem)
    assert silent.status_code == 422 and silent.json()["errors"][0]["loc"] == ["body", "comment"]
    returned = await client.post(
        decisions, json={"decision": "returned", "comment": "BL-1.02-a: bitte Wert prüfen"}, headers=sem
    )
    assert returned.status_code == 201, returned.text
    assert returned.json()["status"] == "returned"
    assert returned.json()["decisions"][-1]["comment"] == "BL-1.02-a: bitte Wert prüfen"

    # The returned report is on the canton's due list and in SEM's overview.
    due = (await client.get("/api/evaluation/v1/due", params={"within_days": 0}, headers=editor)).json()["items"]
    assert [(i["kind"], i["year"], i["status"]) for i in due if i["kind"] == "annual_report"] == [
        ("annual_report", 2024, "returned")
    ]
    overview = await client.get(f"{VIEWS}/sem/programmes", params={"period": "KIP3", "year": 2024}, headers=sem)
    bl = next(p for p in overview.json()["programmes"] if p["programme"]["canton"] == "BL")
    assert (bl["annual_report"]["status"], bl["annual_report"]["illustrative"]) == ("returned", True)

    again = await client.post(SUBMIT_2024, json=ACKNOWLEDGED, headers=editor)
    assert again.status_code == 201 and again.json()["number"] == 2
    assert again.headers["location"].endswith("?version=2")
    for decision in ("received", "accepted"):
        answer = await client.post(decisions, json={"decision": decision}, headers=sem)
        assert answer.status_code == 201 and answer.json()["status"] == decision
    state = (await client.get(f"{REPORT_2024}/state", headers=editor)).json()
    assert (state["status"], state["latest_version"], state["overdue"]) == ("accepted", 2, False)
    assert [(d["version"], d["decision"]) for d in state["decisions"]] == [
        (1, "received"),
        (1, "returned"),
        (2, "received"),
        (2, "accepted"),
    ]
    closed = await client.post(SUBMIT_2024, json=ACKNOWLEDGED, headers=editor)
    assert closed.status_code == 409
    due = (await client.get("/api/evaluation/v1/due", params={"within_days": 0}, headers=editor)).json()["items"]
    assert not [i for i in due if i["kind"] == "annual_report" and i["year"] == 2024]


async def test_a_report_not_submitted_by_its_due_date_is_overdue_on_both_lists(
    client: httpx.AsyncClient, token: TokenFactory, platform: Platform
) -> None:
    _today(platform, dt.date(2026, 5, 4))
    deadline = await client.get("/api/evaluation/v1/annual-report-deadlines/KIP3", headers=token("sem"))
    assert deadline.json() | {"source": None} == {
        "period_code": "KIP3",
        "due_month": 4,
        "due_day": 30,
        "assumption": True,
        "source": None,
    }
    editor = token("canton-editor", canton="BL")
    due = (await client.get("/api/evaluation/v1/due", params={"within_days": 0}, headers=editor)).json()["items"]
    reports = [(i["year"], i["status"], i["due_date"]) for i in due if i["kind"] == "annual_report"]
    assert reports == [(2024, "overdue", "2025-04-30"), (2025, "overdue", "2026-04-30")]
    # SEM moves the period's due date: the 2025 report is then due, not overdue.
    moved = await client.put(
        "/api/evaluation/v1/annual-report-deadlines/KIP3",
        json={"due_month": 5, "due_day": 31, "source": "SEM circular"},
        headers=token("sem"),
    )
    assert moved.status_code == 200 and moved.json()["assumption"] is False
    refused = await client.put(
        "/api/evaluation/v1/annual-report-deadlines/KIP3", json={"due_month": 6, "due_day": 30}, headers=editor
    )
    assert refused.status_code == 403
    overview = await client.get(
        f"{VIEWS}/sem/programmes", params={"period": "KIP3", "year": 2025}, headers=token("sem")
    )
    bl = next(p for p in overview.json()["programmes"] if p["programme"]["canton"] == "BL")
    assert (bl["annual_report"]["status"], bl["annual_report"]["due_date"]) == ("due", "2026-05-31")
    assert bl["annual_report"]["overdue"] is False
