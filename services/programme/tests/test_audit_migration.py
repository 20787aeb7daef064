"""Records written before the trail was keyed migrate without losing verifiability: the migration checks their
unkeyed chain, re-keys it under the current key, and refuses a chain that was already broken."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kit import migrations, testing
from kit.audit_chain import GENESIS, legacy_hash, verify_trail
from kit.audit_keys import keyring
from kit.db import create_engine, sync_url
from programme.audit import AuditRecord

BEFORE_KEYING = "0002"


def legacy_rows(count: int) -> list[dict[str, Any]]:
    rows, prev = [], GENESIS
    for seq in range(1, count + 1):
        row: dict[str, Any] = {
            "seq": seq,
            "at": dt.datetime(2026, 1, 1, 12, 0, seq, 123456, tzinfo=dt.UTC),
            "actor": "anna@bl.ch",
            "actor_role": "canton-editor",
            "request_id": f"r{seq}",
            "entity": "measure",
            "entity_id": f"m{seq}",
            "action": "update",
            "canton": "BL" if seq % 2 else None,
            "partner_id": None,
            "before": {"title": "Alt", "n": seq},
            "after": {"title": "Neu", "n": seq},
            "prev_hash": prev,
        }
        row["hash"] = prev = legacy_hash(row)
        rows.append(row)
    return rows


def database_with_legacy_trail(backend: str, tmp_path: Path, rows: list[dict[str, Any]]) -> str:
    url = testing.fresh_database(backend, "programme_audit_rekey", tmp_path)
    migrations.upgrade("programme", url, BEFORE_KEYING)
    engine = sa.create_engine(sync_url(url))
    try:
        table = sa.Table("audit_record", sa.MetaData(), autoload_with=engine)
        with engine.begin() as conn:
            conn.execute(sa.insert(table), [{**r, "at": r["at"].replace(tzinfo=None)} for r in rows])
    finally:
        engine.dispose()
    return url


@pytest.mark.parametrize("backend", testing.backends())
async def test_a_legacy_trail_is_rekeyed_and_verifies(backend: str, tmp_path: Path) -> None:
    rows = legacy_rows(25)
    url = database_with_legacy_trail(backend, tmp_path, rows)
    migrations.upgrade("programme", url)
    engine = create_engine(url)
    try:
        async with AsyncSession(engine) as session:
            verdict = await verify_trail(session, AuditRecord, keyring(), None)
            keys = set((await session.execute(sa.select(AuditRecord.key_id))).scalars())
            actors = list((await session.execute(sa.select(AuditRecord.actor))).scalars())
    finally:
        await engine.dispose()
    assert (verdict.ok, verdict.records) == (True, 25)
    assert keys == {keyring().current} and actors == ["anna@bl.ch"] * 25
    migrations.downgrade("programme", url, BEFORE_KEYING)  # and back: the unkeyed chain again
    migrations.upgrade("programme", url)


@pytest.mark.parametrize("backend", testing.backends())
def test_a_broken_legacy_trail_is_not_laundered(backend: str, tmp_path: Path) -> None:
    rows = legacy_rows(10)
    rows[4]["actor"] = "mallory"  # changed without recomputing: the unkeyed chain breaks at 5
    url = database_with_legacy_trail(backend, tmp_path, rows)
    with pytest.raises(RuntimeError, match="does not verify at record 5"):
        migrations.upgrade("programme", url)
