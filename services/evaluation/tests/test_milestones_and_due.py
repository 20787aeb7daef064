"""Milestones and the due list: overdue is computed from the injected clock (fixed at 30 June 2025)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from fastapi import FastAPI


async def _milestone(client: httpx.AsyncClient, editor: dict[str, str], ev: dict[str, Any], **body: Any) -> Any:
    response = await client.post(f"/v1/evaluations/{ev['id']}/milestones", json=body, headers=editor)
    assert response.status_code == 201, response.text
    return response.json()


async def test_overdue_is_computed_from_the_clock(
    app: FastAPI, client: httpx.AsyncClient, editor: dict[str, str], plan: Any
) -> None:
    ev = await plan()
    late = await _milestone(client, editor, ev, title="Ausschreibung", due_date="2025-06-29")
    today = await _milestone(client, editor, ev, title="Zuschlag", due_date="2025-06-30")
    done = await _milestone(client, editor, ev, title="Kickoff", due_date="2025-05-01", done_date="2025-05-02")
    assert (late["overdue"], today["overdue"], done["overdue"]) == (True, False, False)

    app.state.get_today = lambda: dt.date(2025, 7, 1)  # a day later, nothing stored changed
    listed = (await client.get(f"/v1/evaluations/{ev['id']}/milestones", headers=editor)).json()
    assert [(m["title"], m["overdue"]) for m in listed] == [
        ("Kickoff", False),
        ("Ausschreibung", True),
        ("Zuschlag", True),
    ]

    marked = await client.patch(
        f"/v1/milestones/{late['id']}", json={"done_date": "2025-07-01"}, headers={**editor, "If-Match": '"1"'}
    )
    assert marked.status_code == 200
    assert marked.json()["overdue"] is False


async def test_milestone_input_is_checked(client: httpx.AsyncClient, editor: dict[str, str], plan: Any) -> None:
    ev = await plan()
    bad = await client.post(
        f"/v1/evaluations/{ev['id']}/milestones", json={"title": "x", "due_date": "31.12.2025"}, headers=editor
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["body", "due_date"]


async def test_the_due_list_holds_what_is_overdue_or_due_within_n_days(
    client: httpx.AsyncClient, editor: dict[str, str], ids: Any, plan: Any, as_partner: Any
) -> None:
    ev = await plan(measure_ids=[ids.measure("BL-1.02")])
    await _milestone(client, editor, ev, title="überfällig", due_date="2025-06-01")
    await _milestone(client, editor, ev, title="in 10 Tagen", due_date="2025-07-10")
    await _milestone(client, editor, ev, title="in 60 Tagen", due_date="2025-08-29")
    await _milestone(client, editor, ev, title="erledigt", due_date="2025-06-01", done_date="2025-06-01")
    rec = await client.post(
        f"/v1/evaluations/{ev['id']}/recommendations",
        json={
            "text": "Mehr Sprachen anbieten",
            "addressee_partner_id": ids.partner("ald"),
            "response_due_date": "2025-07-15",
        },
        headers=editor,
    )
    assert rec.status_code == 201

    due = await client.get("/v1/due", params={"within_days": 30}, headers=editor)
    assert due.status_code == 200
    body = due.json()
    assert body["today"] == "2025-06-30"
    reports = [(i["kind"], i["year"], i["status"]) for i in body["items"] if i["kind"] == "annual_report"]
    assert reports == [("annual_report", 2024, "overdue")]  # not submitted by 30 April 2025
    items = [
        (i["kind"], i["due_date"], i["overdue"], i["days_left"]) for i in body["items"] if i["kind"] != "annual_report"
    ]
    assert items == [
        ("milestone", "2025-06-01", True, -29),
        ("milestone", "2025-07-10", False, 10),
        ("management_response", "2025-07-15", False, 15),
    ]
    wider = await client.get("/v1/due", params={"within_days": 60, "programme_id": str(ids.programme)}, headers=editor)
    assert len(wider.json()["items"]) == 5  # the 2024 report besides

    ald = (await client.get("/v1/due", params={"within_days": 30}, headers=as_partner("ald"))).json()["items"]
    assert [(i["kind"], i["partner_id"]) for i in ald] == [("management_response", ids.partner("ald"))]
    assert (await client.get("/v1/due", params={"within_days": 30}, headers=as_partner("srk-bl"))).json()["items"] == []

    bad = await client.get("/v1/due", params={"within_days": -1}, headers=editor)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["query", "within_days"]


async def test_indicator_values_without_a_report_fall_due_after_the_year(
    app: FastAPI, client: httpx.AsyncClient, editor: dict[str, str], seeded: None, as_partner: Any, token: Any
) -> None:
    """The seed has targets for 2024–2027; 2024 values are due 31 January 2025 (31 days after the year)."""
    items = (await client.get("/v1/due", params={"within_days": 0}, headers=editor)).json()["items"]
    values = [
        (i["title"].split(" ")[0], i["year"], i["due_date"], i["overdue"])
        for i in items
        if i["kind"] == "indicator_value"
    ]
    # Every seeded BL indicator has a 2024 total already, so nothing is due in mid-2025.
    assert values == []

    app.state.get_today = lambda: dt.date(2026, 2, 15)
    items = (await client.get("/v1/due", params={"within_days": 0}, headers=editor)).json()["items"]
    overdue = sorted(
        (i["title"].split(" ")[0], i["year"], i["overdue"]) for i in items if i["kind"] == "indicator_value"
    )
    assert overdue == [
        ("BL-1.02-a", 2025, True),
        ("BL-2.01-a", 2025, True),
        ("BL-2.01-b", 2025, True),
    ]  # BL-1.01-a and BL-4.01-a have a reported 2025 value
    srk = (await client.get("/v1/due", params={"within_days": 0}, headers=as_partner("srk-bl"))).json()["items"]
    assert srk == []
    bmh = (await client.get("/v1/due", params={"within_days": 0}, headers=as_partner("bmh"))).json()["items"]
    assert sorted(i["title"].split(" ")[0] for i in bmh) == ["BL-2.01-a", "BL-2.01-b"]
    zh = (await client.get("/v1/due", params={"within_days": 0}, headers=token("canton-editor", canton="ZH"))).json()
    assert zh["items"] == []
