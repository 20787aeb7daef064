"""An annual report's lifecycle in the evaluation service: the due date per period, the state, SEM's decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from fastapi import FastAPI

SECTIONS = {s: {"text": "…"} for s in ("goals", "evaluations", "key_figures", "finances")}
COMPLETE = {**SECTIONS, "coordination": {"text": "…"}, "financial_supervision": {"text": "…"}}


async def test_sem_sets_the_due_date_of_a_period_and_a_missing_day_falls_on_the_months_last(
    app: FastAPI, client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str], ids: Any
) -> None:
    default = (await client.get("/v1/annual-report-deadlines/KIP3", headers=editor)).json()
    assert (default["due_month"], default["due_day"], default["assumption"]) == (4, 30, True)
    bad = await client.put("/v1/annual-report-deadlines/KIP3", json={"due_month": 13, "due_day": 1}, headers=sem)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["body", "due_month"]
    leap = await client.put("/v1/annual-report-deadlines/KIP3", json={"due_month": 2, "due_day": 29}, headers=sem)
    assert leap.status_code == 200 and leap.json()["assumption"] is False
    app.state.get_today = lambda: dt.date(2027, 3, 1)
    base = f"/v1/programmes/{ids.programme}/annual-reports"
    states = {}
    for year in (2026, 2027):
        states[year] = (await client.get(f"{base}/{year}/state", headers=editor)).json()
    assert (states[2026]["due_date"], states[2026]["status"], states[2026]["overdue"]) == (
        "2027-02-28",
        "overdue",
        True,
    )
    assert (states[2027]["due_date"], states[2027]["status"]) == ("2028-02-29", "not_due")


async def test_decisions_follow_the_order_received_then_accepted_or_returned(
    app: FastAPI, client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str], ids: Any
) -> None:
    app.state.get_today = lambda: dt.date(2026, 2, 1)
    base = f"/v1/programmes/{ids.programme}/annual-reports/2025"
    none_yet = await client.post(f"{base}/decisions", json={"decision": "received"}, headers=sem)
    assert none_yet.status_code == 409
    assert (await client.post(base, json={"content": COMPLETE}, headers=editor)).status_code == 201
    assert (await client.post(base, json={"content": COMPLETE}, headers=editor)).json()["number"] == 2
    old = await client.post(f"{base}/decisions", json={"decision": "received", "version": 1}, headers=sem)
    assert old.status_code == 409 and old.json()["errors"][0]["loc"] == ["body", "version"]
    assert (await client.post(f"{base}/decisions", json={"decision": "received"}, headers=sem)).status_code == 201
    twice = await client.post(f"{base}/decisions", json={"decision": "received"}, headers=sem)
    assert twice.status_code == 409
    accepted = await client.post(f"{base}/decisions", json={"decision": "accepted"}, headers=sem)
    assert accepted.json()["status"] == "accepted" and accepted.json()["illustrative"] is False
    listed = (await client.get("/v1/annual-reports/states", params={"year": 2025}, headers=sem)).json()
    assert [(s["canton"], s["status"], s["versions"]) for s in listed["items"]] == [("BL", "accepted", 2)]
