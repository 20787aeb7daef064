"""Evaluation events through the gateway: evaluations, indicator values, recommendations' answers, annual reports;
each in the feed of exactly the audience that may read the resource."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from eventfeed import ALD, PROGRAMME, Feed
from test_event_types import COUNSELLING_CLIENTS, OFFICE, YEAR, ok

REPORTED_YEAR = 2024  # an ended year whose seeded values are all confirmed, so the report may be submitted


async def new_evaluation(client: httpx.AsyncClient, token: Any) -> dict[str, Any]:
    body = {"programme_id": PROGRAMME, "kind": "study", "title": f"Studie {uuid.uuid4().hex[:6]}", "partner_ids": [ALD]}
    result: dict[str, Any] = await ok(
        await client.post("/api/evaluation/v1/evaluations", headers=token("canton-editor", canton="BL"), json=body), 201
    )
    return result


async def test_evaluation_evaluation_changed(client: httpx.AsyncClient, token: Any) -> None:
    """An evaluation may concern several partners; its events go to the canton and SEM only."""
    feed = Feed(client, token)
    await feed.tail()
    evaluation = await new_evaluation(client, token)
    event = await feed.assert_audience("evaluation.evaluation.changed", evaluation["id"], OFFICE)
    assert event["data"]["programme_id"] == PROGRAMME and event["data"]["action"] == "created"


async def test_evaluation_recommendation_responded(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    editor = token("canton-editor", canton="BL")
    evaluation = await new_evaluation(client, token)
    recommendation = await client.post(
        f"/api/evaluation/v1/evaluations/{evaluation['id']}/recommendations",
        headers=editor,
        json={"text": "Abendtermine anbieten", "addressee_partner_id": ALD},
    )
    rec = await ok(recommendation, 201)
    await feed.tail()
    await ok(
        await client.put(
            f"/api/evaluation/v1/recommendations/{rec['id']}/response",
            headers=token("partner", partner="ald") | {"If-Match": recommendation.headers["etag"]},
            json={"decision": "accepted"},
        )
    )
    event = await feed.assert_audience("evaluation.recommendation.responded", rec["id"], OFFICE | {"ald"})
    assert event["data"]["partner_id"] == ALD and event["data"]["responded_at"]


async def test_evaluation_indicator_value_reported_and_confirmed(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    await feed.tail()
    reported = await client.post(
        f"/api/evaluation/v1/indicators/{COUNSELLING_CLIENTS}/values",
        headers=token("partner", partner="ald"),
        json={"year": YEAR, "value": "1700", "source": "ald client statistics"},
    )
    value = await ok(reported, 201)
    event = await feed.assert_audience("evaluation.indicator_value.reported", value["id"], OFFICE | {"ald"})
    assert event["data"]["status"] == "reported"
    await ok(
        await client.post(
            f"/api/evaluation/v1/indicator-values/{value['id']}/confirm",
            headers=token("canton-editor", canton="BL") | {"If-Match": reported.headers["etag"]},
        )
    )
    event = await feed.assert_audience("evaluation.indicator_value.confirmed", value["id"], OFFICE | {"ald"})
    assert (event["data"]["previous"], event["data"]["version"]) == ("reported", 2)


async def test_evaluation_annual_report_submitted_received_and_returned(client: httpx.AsyncClient, token: Any) -> None:
    """SEM's decisions are events of their own; returning the version opens the year for the next submission."""
    feed = Feed(client, token)
    await feed.tail()
    submitted = await client.post(
        f"/api/v1/views/canton/programmes/{PROGRAMME}/annual-report/{REPORTED_YEAR}/submit",
        json={"acknowledged_warnings": ["illustrative_figures", "national_value_missing"]},
        headers=token("canton-editor", canton="BL"),
    )
    assert submitted.status_code in (200, 201), submitted.text
    seen = await feed.seen()
    reports = [e for e in seen["sem"] if e["type"] == "evaluation.annual_report.submitted"]
    assert len(reports) == 1
    await feed.assert_audience("evaluation.annual_report.submitted", reports[0]["data"]["id"], OFFICE)
    assert reports[0]["data"]["programme_id"] == PROGRAMME and reports[0]["data"]["version"] >= 1
    number = reports[0]["data"]["version"]

    decisions = f"/api/evaluation/v1/programmes/{PROGRAMME}/annual-reports/{REPORTED_YEAR}/decisions"
    for decision, extra in (("received", {}), ("returned", {"comment": "Bitte Tabelle 3 ergänzen."})):
        body = {"decision": decision, "version": number} | extra
        await feed.tail()
        await ok(await client.post(decisions, headers=token("sem"), json=body), 201)
        [decided] = [e for e in (await feed.seen())["sem"] if e["type"] == f"evaluation.annual_report.{decision}"]
        event = await feed.assert_audience(decided["type"], decided["data"]["id"], OFFICE)
        assert (event["data"]["decision"], event["data"]["version"]) == (decision, number)
        assert event["data"]["programme_id"] == PROGRAMME and event["data"]["canton"] == "BL"


async def test_evaluation_report_text_written(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    editor = token("canton-editor", canton="BL")
    path = f"/api/evaluation/v1/programmes/{PROGRAMME}/report-texts/{YEAR}/financial-supervision"
    current = await ok(await client.get(path, headers=editor))
    previous = max((t["version"] for t in current["texts"]), default=None)
    await feed.tail()
    body = {"text": f"Prüfung der Abrechnungen {uuid.uuid4().hex[:6]}", "previous_version": previous}
    written = await ok(await client.post(path, headers=editor, json=body), 201)
    event = await feed.assert_audience("evaluation.report_text.written", written["id"], OFFICE)
    assert (event["data"]["section"], event["data"]["version"]) == ("financial_supervision", written["version"])
