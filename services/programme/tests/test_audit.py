"""The audit trail: one record per change in the same transaction, chained, append-only, scoped; the request id
it records is the platform's own."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from programme_factories import ALD, BL_KIP3, MEASURE_ALD, measure_payload, problem
from sqlalchemy import text

from kit.audit_chain import guard_sql


async def trail(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/v1/audit", params={"limit": 500} | params, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_a_change_leaves_exactly_one_record_with_before_and_after(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bl = token("canton-editor", canton="BL", subject="anna@bl.ch")
    before = len(await trail(client, token("sem")))
    response = await client.patch(
        f"/v1/measures/{MEASURE_ALD}", json={"title": "Neu"}, headers=bl | {"If-Match": '"1"', "X-Request-ID": "req-42"}
    )
    assert response.status_code == 200
    records = await trail(client, token("sem"))
    assert len(records) == before + 1
    record = records[0]
    assert (record["entity"], record["entity_id"], record["action"]) == ("measure", MEASURE_ALD, "update")
    assert record["actor"] == "anna@bl.ch" and record["actor_role"] == "canton-editor"
    assert record["request_id"] != "req-42" and len(record["request_id"]) == 32  # the platform's id, not the caller's
    same_id = {"If-Match": '"2"', "X-Request-ID": "req-42"}
    again = await client.patch(f"/v1/measures/{MEASURE_ALD}", json={"title": "Neuer"}, headers=bl | same_id)
    assert again.status_code == 200
    second = (await trail(client, token("sem")))[0]
    assert second["request_id"] not in (record["request_id"], "req-42")
    assert record["before"]["title"] == "Information und Beratung des Ausländerdienstes"
    assert record["after"]["title"] == "Neu" and record["after"]["version"] == 2
    assert record["canton"] == "BL" and record["partner_id"] == ALD


async def test_a_refused_change_leaves_no_record(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bl = token("canton-editor", canton="BL")
    before = len(await trail(client, token("sem")))
    problem(
        await client.patch(f"/v1/measures/{MEASURE_ALD}", json={"title": "x"}, headers=bl | {"If-Match": '"9"'}), 412
    )
    problem(await client.post("/v1/measures", json=measure_payload(partner_id=str(uuid.uuid4())), headers=bl), 422)
    assert len(await trail(client, token("sem"))) == before


async def test_creating_a_measure_with_goals_is_one_record(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bl = token("canton-editor", canton="BL")
    created = await client.post("/v1/measures", json=measure_payload(), headers=bl)
    records = await trail(client, bl, entity_id=created.json()["id"])
    assert [(r["entity"], r["action"]) for r in records] == [("measure", "create")]


async def test_the_chain_verifies_and_finds_a_changed_record(
    app: FastAPI, client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bl = token("canton-editor", canton="BL")
    await client.patch(f"/v1/programmes/{BL_KIP3}", json={"title": "Neu"}, headers=bl | {"If-Match": '"1"'})
    check = (await client.get("/v1/audit/verify", headers=token("sem"))).json()
    assert check["ok"] is True and check["records"] > 40 and check["checkpoint_checked"] is True
    async with app.state.engine.begin() as conn:
        with pytest.raises(Exception, match="append-only"):
            await conn.execute(text("UPDATE audit_record SET actor = 'mallory' WHERE seq = 7"))
    async with app.state.engine.begin() as conn:
        for statement in guard_sql(conn.dialect.name)[1]:
            await conn.execute(text(statement))
        await conn.execute(text("UPDATE audit_record SET actor = 'mallory' WHERE seq = 7"))
    check = (await client.get("/v1/audit/verify", headers=token("sem"))).json()
    assert (check["ok"], check["broken_at"], check["problem"]) == (False, 7, "changed")


async def test_a_removed_record_breaks_the_chain_at_its_place(
    app: FastAPI, client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    async with app.state.engine.begin() as conn:
        for statement in guard_sql(conn.dialect.name)[1]:
            await conn.execute(text(statement))
        await conn.execute(text("DELETE FROM audit_record WHERE seq = 12"))
    check = (await client.get("/v1/audit/verify", headers=token("canton-viewer", canton="BL"))).json()
    assert (check["broken_at"], check["problem"]) == (12, "missing")


async def test_partners_and_other_cantons_read_only_their_own_records(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    ald = await trail(client, token("partner", partner_id=uuid.UUID(ALD)))
    assert ald and all(r["partner_id"] == ALD for r in ald)
    assert await trail(client, token("canton-viewer", canton="BS")) == []
    bl = await trail(client, token("canton-viewer", canton="BL"))
    assert bl and all(r["canton"] == "BL" for r in bl)
    problem(await client.get("/v1/audit/verify", headers=token("partner", partner_id=uuid.UUID(ALD))), 403)
