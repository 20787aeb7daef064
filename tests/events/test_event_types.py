"""Every event type: a change through the gateway's API puts its event in the feed of exactly those who may read
the resource (SEM, the canton, the partner concerned), and in nobody else's (another canton, another partner)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from eventfeed import ALD, INFORMATION, PROGRAMME, SRK, Feed

from kit.ids import seed_uuid

YEAR = 2026
COUNSELLING_CLIENTS = str(seed_uuid("indicator", "BL-KIP3/BL-1.02-a"))
OFFICE = {"sem", "bl"}


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def test_programme_programme_changed(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    await feed.tail()
    editor = token("canton-editor", canton="BL")
    current = await client.get(f"/api/programme/v1/programmes/{PROGRAMME}", headers=editor)
    reference = f"RV-{uuid.uuid4().hex[:8]}"
    await ok(
        await client.patch(
            f"/api/programme/v1/programmes/{PROGRAMME}",
            headers=editor | {"If-Match": current.headers["etag"]},
            json={"agreement_reference": reference},
        )
    )
    event = await feed.assert_audience("programme.programme.changed", PROGRAMME, OFFICE)
    data = event["data"]
    assert (data["action"], data["canton"], data["programme_id"], data["partner_id"]) == (
        "updated",
        "BL",
        PROGRAMME,
        None,
    )
    assert data["changed"] == ["agreement_reference"]
    assert (
        f'"{data["version"]}"'
        == (await client.get(f"/api/programme/v1/programmes/{PROGRAMME}", headers=editor)).headers["etag"]
    )


async def new_measure(client: httpx.AsyncClient, token: Any, partner: str = ALD) -> dict[str, Any]:
    body = {
        "programme_id": PROGRAMME,
        "funding_area_id": INFORMATION,
        "code": f"EV-{uuid.uuid4().hex[:6]}",
        "title": "Beratung am Abend",
        "partner_id": partner,
        "target_groups": ["third_countries"],
    }
    result: dict[str, Any] = await ok(
        await client.post("/api/programme/v1/measures", headers=token("canton-editor", canton="BL"), json=body), 201
    )
    return result


async def test_programme_measure_changed(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    await feed.tail()
    measure = await new_measure(client, token)
    event = await feed.assert_audience("programme.measure.changed", measure["id"], OFFICE | {"ald"})
    assert (event["data"]["action"], event["data"]["partner_id"], event["data"]["version"]) == ("created", ALD, 1)
    assert event["data"]["programme_id"] == PROGRAMME


async def test_programme_partner_changed(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    await feed.tail()
    editor = token("canton-editor", canton="BL")
    current = await client.get(f"/api/programme/v1/partners/{SRK}", headers=editor)
    await ok(
        await client.patch(
            f"/api/programme/v1/partners/{SRK}",
            headers=editor | {"If-Match": current.headers["etag"]},
            json={"contact_name": f"Kontakt {uuid.uuid4().hex[:6]}"},
        )
    )
    event = await feed.assert_audience("programme.partner.changed", SRK, OFFICE | {"srk"})
    assert event["data"]["changed"] == ["contact_name"]


async def test_programme_goal_changed(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    await feed.tail()
    editor = token("canton-editor", canton="BL")
    strategic = await ok(
        await client.get(
            "/api/programme/v1/goals", headers=editor, params={"funding_area_id": INFORMATION, "level": "strategic"}
        )
    )
    body = {
        "programme_id": PROGRAMME,
        "funding_area_id": INFORMATION,
        "parent_id": strategic[0]["id"],
        "level": "outcome",
        "code": f"9.{uuid.uuid4().int % 1000}",
        "title": "Mehr Beratungen am Abend",
    }
    goal = await ok(await client.post("/api/programme/v1/goals", headers=editor, json=body), 201)
    event = await feed.assert_audience("programme.goal.changed", goal["id"], OFFICE)
    assert event["data"]["programme_id"] == PROGRAMME and event["data"]["canton"] == "BL"


async def test_programme_measure_status_changed(client: httpx.AsyncClient, token: Any) -> None:
    """Raised with the measure's first status and on every change; `completed` closes it for funding and evaluation."""
    feed = Feed(client, token)
    await feed.tail()
    measure = await new_measure(client, token)
    event = await feed.assert_audience("programme.measure.status_changed", measure["id"], OFFICE | {"ald"})
    assert (event["data"]["status"], event["data"]["action"]) == (measure["status"], "created")
    editor = token("canton-editor", canton="BL")
    current = await client.get(f"/api/programme/v1/measures/{measure['id']}", headers=editor)
    await feed.tail()
    await ok(
        await client.patch(
            f"/api/programme/v1/measures/{measure['id']}",
            headers=editor | {"If-Match": current.headers["etag"]},
            json={"status": "completed"},
        )
    )
    event = await feed.assert_audience("programme.measure.status_changed", measure["id"], OFFICE | {"ald"})
    assert (event["data"]["status"], event["data"]["previous"]) == ("completed", measure["status"])


async def test_programme_partner_status_changed(client: httpx.AsyncClient, token: Any) -> None:
    """Deactivated and active again: each change reaches SEM, the canton and the partner itself, nobody else."""
    feed = Feed(client, token)
    editor = token("canton-editor", canton="BL")
    for status, previous in (("deactivated", "active"), ("active", "deactivated")):
        current = await client.get(f"/api/programme/v1/partners/{SRK}", headers=editor)
        await feed.tail()
        await ok(
            await client.patch(
                f"/api/programme/v1/partners/{SRK}",
                headers=editor | {"If-Match": current.headers["etag"]},
                json={"status": status},
            )
        )
        event = await feed.assert_audience("programme.partner.status_changed", SRK, OFFICE | {"srk"})
        assert (event["data"]["status"], event["data"]["previous"]) == (status, previous)
