"""The settlement's `goals_met` comes from the evaluation service's goal achievement, never from the caller."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.ids import seed_uuid

pytestmark = pytest.mark.asyncio
PROGRAMME = seed_uuid("programme", "BL-KIP3")
URL = f"/v1/programmes/{PROGRAMME}/settlement"
IFK = "federal_integration_credit"


async def test_the_caller_cannot_declare_the_goals_met(
    seeded: None, client: httpx.AsyncClient, token: Any, goals: Any
) -> None:
    await goals("100", "60")
    r = await client.get(URL, headers=token("sem"), params={"as_of": "2028-06-30", "goals_met": "true"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["goals_met"] is False
    assert body["goals"]["source"] == "evaluation: goal-achievement"
    assert body["goals"]["year"] == 2027
    [goal] = body["goals"]["goals"]
    assert (goal["goal_id"], goal["achievement"], goal["met"]) == (str(seed_uuid("goal", "KIP3/2.1")), "0.8", False)
    ifk = next(s for s in body["sources"] if s["source"] == IFK)
    assert (ifk["usable_within_two_years"], ifk["to_refund"]) == ("0.00", "462500.00")


async def test_goals_fully_met_allow_the_carry_over_and_no_figures_do_not(
    seeded: None, client: httpx.AsyncClient, token: Any, goals: Any
) -> None:
    editor = token("canton-viewer", canton="BL")
    empty = (await client.get(URL, headers=editor, params={"as_of": "2028-06-30"})).json()
    assert (empty["goals_met"], empty["goals"]["goals"]) == (False, [])
    await goals("100", "130")
    met = (await client.get(URL, headers=editor, params={"as_of": "2028-06-30", "goals_met": "false"})).json()
    assert met["goals_met"] is True
    assert [g["achievement"] for g in met["goals"]["goals"]] == ["1"]
    assert (met["totals"]["usable_within_two_years"], met["totals"]["to_refund"]) == ("462500.00", "0.00")


async def test_evaluation_down_is_a_503_and_nothing_is_written(
    seeded: None, client: httpx.AsyncClient, evaluation_down_client: httpx.AsyncClient, token: Any
) -> None:
    sem = token("sem")
    r = await evaluation_down_client.get(URL, headers=sem)
    assert r.status_code == 503, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert (r.json()["type"].endswith("/upstream-unavailable"), r.json()["service"]) == (True, "evaluation")
    body = {"carry_over_amount": "0.00", "refund_amount": "10.00", "due_date": "2028-06-30", "reasons": "unspent"}
    r = await evaluation_down_client.post(f"{URL}/decisions", headers=sem, json=body)
    assert r.status_code == 503, r.text
    assert (await client.get(f"{URL}/decisions", headers=sem)).json()["items"] == []
    trail = (await client.get("/v1/audit", headers=sem, params={"entity": "settlement_decision"})).json()
    assert trail["items"] == []
