"""The merged feed: an opaque cursor that resumes exactly, filters, long polls, bad cursors, and the catalogue."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from typing import Any

import httpx
from eventfeed import PROGRAMME, Feed, read_after
from test_evaluation_events import new_evaluation
from test_event_types import new_measure, ok
from test_funding_events import new_credit

from evaluation.events import CATALOGUE as EVALUATION
from funding.events import CATALOGUE as FUNDING
from programme.events import CATALOGUE as PROGRAMME_EVENTS


async def changes_in_every_service(client: httpx.AsyncClient, token: Any) -> None:
    await new_measure(client, token)
    await new_evaluation(client, token)
    await new_credit(client, token)
    await new_measure(client, token)


async def test_resuming_page_by_page_misses_nothing_and_repeats_nothing(client: httpx.AsyncClient, token: Any) -> None:
    sem = token("sem")
    start = await Feed(client, token).tail()
    await changes_in_every_service(client, token)
    whole, end = await read_after(client, sem, start)
    assert len(whole) >= 4 and {e["source"] for e in whole} == {"/kip/programme", "/kip/funding", "/kip/evaluation"}

    cursor, one_by_one = start, []
    while True:  # a consumer that stops after every event and resumes from the cursor it stored
        page = await ok(await client.get("/api/v1/events", headers=sem, params={"after": cursor, "limit": 1}))
        if not page["events"]:
            break
        one_by_one.extend(page["events"])
        cursor = page["cursor"]
    assert [e["id"] for e in one_by_one] == [e["id"] for e in whole]
    assert cursor == end
    for source in {e["source"] for e in whole}:
        sequence = [int(e["sequence"]) for e in whole if e["source"] == source]
        assert sequence == sorted(sequence) and len(set(sequence)) == len(sequence)


async def test_filters_by_type_and_programme(client: httpx.AsyncClient, token: Any) -> None:
    sem = token("sem")
    start = await Feed(client, token).tail()
    await changes_in_every_service(client, token)
    params = {"after": start, "type": "programme.measure.changed", "programme_id": PROGRAMME}
    page = await ok(await client.get("/api/v1/events", headers=sem, params=params))
    assert [e["type"] for e in page["events"]] == ["programme.measure.changed"] * 2
    other = {"after": start, "programme_id": "00000000-0000-0000-0000-000000000001"}
    assert (await ok(await client.get("/api/v1/events", headers=sem, params=other)))["events"] == []


async def test_a_long_poll_answers_when_an_event_commits(client: httpx.AsyncClient, token: Any) -> None:
    bl = token("canton-viewer", canton="BL")
    start = await Feed(client, token).tail()
    began = time.monotonic()
    waiting = asyncio.create_task(client.get("/api/v1/events", headers=bl, params={"after": start, "wait": 10}))
    await asyncio.sleep(0.5)
    assert not waiting.done()
    measure = await new_measure(client, token)
    page = await ok(await waiting)
    assert time.monotonic() - began < 5
    assert [e["data"]["id"] for e in page["events"] if e["type"] == "programme.measure.changed"] == [measure["id"]]


async def test_a_cursor_the_feed_did_not_give_is_refused_naming_it(client: httpx.AsyncClient, token: Any) -> None:
    huge = base64.urlsafe_b64encode(json.dumps({"funding": 2**64}).encode()).decode()
    for bad in ("not-a-cursor", "eyJwcm9ncmFtbWUiOi0xfQ", "W10", huge):
        response = await client.get("/api/v1/events", headers=token("sem"), params={"after": bad})
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["loc"] == ["query", "after"]
    beyond = await client.get("/api/funding/v1/events", headers=token("sem"), params={"after": 2**64})
    assert beyond.status_code == 422 and beyond.json()["errors"][0]["loc"] == ["query", "after"]
    assert (await client.get("/api/v1/events")).status_code == 401


async def test_the_catalogue_lists_every_type_as_asyncapi(client: httpx.AsyncClient) -> None:
    document = await ok(await client.get("/asyncapi.json"))
    assert document["asyncapi"] == "3.0.0"
    types = {t for c in (PROGRAMME_EVENTS, FUNDING, EVALUATION) for t in c.types()}
    assert set(document["channels"]) == types
    assert len(types) >= 16
    channel = document["channels"]["funding.disbursement.approved"]
    assert channel["address"] == "kip.funding.funding.disbursement.approved"
    message = document["components"]["messages"]["funding.disbursement.approved"]
    assert message["payload"]["allOf"][0] == {"$ref": "#/components/schemas/CloudEvent"}
    assert {"CloudEvent", "EventData"} <= set(document["components"]["schemas"])
    openapi = await ok(await client.get("/openapi.json"))
    assert "/asyncapi.json" in openapi["info"]["description"] and "/api/v1/events" in openapi["paths"]
