"""Whoever holds the database but not the platform's key cannot rewrite the audit trail unnoticed.

Each tampering path runs on SQLite and PostgreSQL against the real service: the guard refuses UPDATE, DELETE and
TRUNCATE; with the guard dropped (as an owner of the database can), deleting the newest records, emptying the table
and re-inserting it, and editing a record and recomputing the chain are each reported by `/v1/audit/verify`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any, cast

import httpx
import pytest
from fastapi import FastAPI
from programme_factories import BL_KIP3
from sqlalchemy import Table, delete, insert, select, text, update

from kit import audit_chain
from kit.audit_chain import guard_sql, legacy_hash
from kit.audit_keys import AuditSettings, keyring, make_keyring
from programme.audit import AuditRecord

TABLE = cast(Table, AuditRecord.__table__)


async def verify(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.get("/v1/audit/verify", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.fixture
async def unguarded(app: FastAPI) -> AsyncIterator[None]:
    """The guard dropped, as the database's owner could; put back afterwards."""
    async with app.state.engine.begin() as conn:
        for statement in guard_sql(conn.dialect.name)[1]:
            await conn.execute(text(statement))
    yield
    async with app.state.engine.begin() as conn:
        for statement in guard_sql(conn.dialect.name)[0]:
            await conn.execute(text(statement))


async def rows(app: FastAPI) -> list[dict[str, Any]]:
    async with app.state.engine.connect() as conn:
        return [dict(r) for r in (await conn.execute(select(TABLE).order_by(TABLE.c.seq))).mappings()]


async def test_the_guard_refuses_update_delete_and_truncate(app: FastAPI, seeded: None) -> None:
    statements = ["UPDATE audit_record SET actor = 'x'", "DELETE FROM audit_record WHERE seq = 3"]
    if app.state.engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_record")
    for statement in statements:
        with pytest.raises(Exception, match="append-only"):
            async with app.state.engine.begin() as conn:
                await conn.execute(text(statement))
    assert len(await rows(app)) > 40


async def test_deleting_the_newest_records_is_a_truncated_tail(
    app: FastAPI, client: httpx.AsyncClient, token: Any, seeded: None, unguarded: None
) -> None:
    before = await rows(app)
    async with app.state.engine.begin() as conn:
        await conn.execute(delete(TABLE).where(TABLE.c.seq > len(before) - 3))
    check = await verify(client, token("sem"))
    assert (check["ok"], check["problem"], check["broken_at"]) == (False, "truncated", len(before) - 2)
    bl = await verify(client, token("canton-viewer", canton="BL"))
    assert (bl["ok"], bl["problem"]) == (False, "truncated")


@pytest.mark.parametrize("edit", [False, True])
async def test_emptying_the_table_and_reinserting_it_is_found(
    app: FastAPI, client: httpx.AsyncClient, token: Any, seeded: None, unguarded: None, edit: bool
) -> None:
    """Re-inserted as it was but without the newest record: a truncated tail; with one record changed: its MAC."""
    before = await rows(app)
    kept = [dict(r) for r in before[:-1]]
    if edit:
        kept = [dict(r) for r in before]
        kept[9]["actor"] = "mallory"
    truncate = "TRUNCATE audit_record" if app.state.engine.dialect.name == "postgresql" else "DELETE FROM audit_record"
    async with app.state.engine.begin() as conn:
        await conn.execute(text(truncate))
        await conn.execute(insert(TABLE), kept)
    check = await verify(client, token("sem"))
    expected = (False, "changed", 10) if edit else (False, "truncated", len(before))
    assert (check["ok"], check["problem"], check["broken_at"]) == expected


@pytest.mark.parametrize("scheme", ["unkeyed", "guessed-key"])
async def test_editing_a_record_and_recomputing_the_chain_is_found(
    app: FastAPI, client: httpx.AsyncClient, token: Any, seeded: None, unguarded: None, scheme: str
) -> None:
    """The attacker recomputes every hash from record 7 on: with the old unkeyed SHA-256, or an HMAC under a key
    of their own that claims the real key's id. Neither is the platform's MAC."""
    forged_ring = make_keyring(AuditSettings(keys={"local": "not-the-key"}))
    records = await rows(app)
    prev = records[5]["hash"]
    async with app.state.engine.begin() as conn:
        for record in records[6:]:
            record["prev_hash"] = prev
            if record["seq"] == 7:
                record["actor"] = "mallory"
            if scheme == "unkeyed":
                record["key_id"] = None
                record["hash"] = legacy_hash(record)
            else:
                record["hash"] = audit_chain.record_hash(record, forged_ring)
            prev = record["hash"]
            values = {k: record[k] for k in ("actor", "prev_hash", "hash", "key_id")}
            await conn.execute(update(TABLE).where(TABLE.c.seq == record["seq"]).values(**values))
    check = await verify(client, token("sem"))
    problem = "unknown-key" if scheme == "unkeyed" else "changed"
    assert (check["ok"], check["problem"], check["broken_at"]) == (False, problem, 7)


async def test_a_canton_checks_its_own_records_in_batches(
    client: httpx.AsyncClient, token: Any, seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A canton user learns how many of its canton's records verified, not the platform's count; the trail is read
    in batches (here of 7), so a long trail is never held in memory."""
    monkeypatch.setattr(audit_chain, "BATCH", 7)
    editor = token("canton-editor", canton="BL")
    await client.patch(f"/v1/programmes/{BL_KIP3}", json={"title": "Neu"}, headers=editor | {"If-Match": '"1"'})
    sem = await verify(client, token("sem"))
    bl = await verify(client, token("canton-viewer", canton="BL"))
    bs = await verify(client, token("canton-viewer", canton="BS"))
    bl_total = (await client.get("/v1/audit", params={"limit": 1}, headers=editor)).json()["total"]
    sem_total = (await client.get("/v1/audit", params={"limit": 1}, headers=token("sem"))).json()["total"]
    assert sem["ok"] and bl["ok"] and bs["ok"]
    assert (sem["records"], bl["records"], bs["records"]) == (sem_total, bl_total, 0)
    assert bl_total < sem_total


async def test_keys_rotate_and_old_records_verify_under_their_own_key(
    client: httpx.AsyncClient, token: Any, seeded: None, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    local = make_keyring(AuditSettings()).keys["local"].decode()
    request.addfinalizer(keyring.cache_clear)
    monkeypatch.setenv("KIP_AUDIT_KEYS", json.dumps({"local": local, "2027-01": "a-new-secret"}))
    monkeypatch.setenv("KIP_AUDIT_KEY_ID", "2027-01")
    keyring.cache_clear()
    editor = token("canton-editor", canton="BL")
    await client.patch(f"/v1/programmes/{BL_KIP3}", json={"title": "Neu"}, headers=editor | {"If-Match": '"1"'})
    newest = (await client.get("/v1/audit", params={"limit": 1}, headers=token("sem"))).json()["items"][0]
    assert newest["key_id"] == "2027-01"
    assert (await verify(client, token("sem")))["ok"] is True
    monkeypatch.setenv("KIP_AUDIT_KEYS", json.dumps({"2027-01": "a-new-secret"}))  # the old key forgotten
    keyring.cache_clear()
    check = await verify(client, token("sem"))
    assert (check["ok"], check["problem"], check["broken_at"]) == (False, "unknown-key", 1)
