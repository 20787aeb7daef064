"""The audit chain's rules: how a record's hash is made, what guards the table, and how the trail is verified.

A record's `hash` is HMAC-SHA256, under the key its `key_id` names, of its canonical JSON (every column but the
hash, the previous record's hash included), so the records form a chain that only the key's holder can extend or
rewrite. Verification streams the table in batches of BATCH records (never the whole trail in memory) and checks,
record by record: the sequence has no gap, each record names its predecessor's hash, its MAC is right under a known
key; then the head against the newest checkpoint outside the database (read before the scan, so records committed
meanwhile cannot look like a gap): fewer records than the checkpoint counted is a truncated tail, a different hash
at the checkpoint's sequence number a rewritten chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.audit_keys import Keyring, last_checkpoint
from kit.canonical import canonical_json, plain

GENESIS = "0" * 64
BATCH = 1000


def _plain_at(value: Any) -> Any:
    if isinstance(value, dt.datetime):  # SQLite gives naive UTC back, PostgreSQL an aware one: hash them alike
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds") + "Z"
    return value


def canonical(row: Mapping[Any, Any]) -> bytes:
    """The bytes a record's hash covers: every column but `hash` (and `key_id` when absent: the legacy form)."""
    payload = {k: plain(row[k]) for k in sorted(row) if k != "hash" and not (k == "key_id" and row[k] is None)}
    payload["at"] = _plain_at(row["at"])
    return canonical_json(payload)


def legacy_hash(row: Mapping[str, Any]) -> str:
    """The unkeyed SHA-256 the trail used before it was keyed (read only by the migration that re-keys it)."""
    return hashlib.sha256(canonical({k: v for k, v in row.items() if k != "key_id"})).hexdigest()


def record_hash(row: Mapping[Any, Any], ring: Keyring) -> str | None:
    """The record's MAC under the key it names, or None when the keyring does not hold that key."""
    key_id = row.get("key_id")
    return None if key_id is None else ring.mac(str(key_id), canonical(row))


def guard_sql(dialect: str, table: str = "audit_record") -> tuple[list[str], list[str]]:
    """DDL making the table append-only in the database: statements to create and to drop the guard. PostgreSQL
    refuses UPDATE, DELETE and TRUNCATE; SQLite refuses UPDATE and DELETE (it has no TRUNCATE)."""
    if dialect == "postgresql":
        return (
            [
                f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '{table} is append-only'; END $$""",
                f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
                f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()""",
            ],
            [
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
                f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                f"DROP FUNCTION IF EXISTS {table}_append_only()",
            ],
        )
    if dialect == "sqlite":
        return (
            [
                f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
                f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
            ],
            [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"],
        )
    return ([], [])


@dataclass
class Verdict:
    ok: bool
    records: int
    broken_at: int | None = None
    problem: str | None = None
    checkpoint_checked: bool = False


def _record_problem(row: Mapping[Any, Any], ring: Keyring) -> str | None:
    if row["key_id"] is None or row["key_id"] not in ring.keys:
        return "unknown-key"
    mac = record_hash(row, ring)
    return None if mac is not None and hmac.compare_digest(mac, str(row["hash"])) else "changed"


async def verify_trail(
    session: AsyncSession, model: type[Any], ring: Keyring, checkpoints: Path | None, canton: str | None = None
) -> Verdict:
    """Check the whole chain in batches; with `canton`, count and report only that canton's records, and the
    problems that concern every reader (a gap, a broken link, a truncated or rewritten tail)."""
    checkpoint, forged = last_checkpoint(checkpoints, ring) if checkpoints is not None else (None, False)
    table = model.__table__
    seq, prev = 0, GENESIS
    records = 0
    first: tuple[int, str] | None = None
    at_checkpoint: str | None = None

    def note(where: int, problem: str) -> None:
        nonlocal first
        if first is None:
            first = (where, problem)

    while first is None or canton is not None:
        batch = (
            (await session.execute(select(table).where(table.c.seq > seq).order_by(table.c.seq).limit(BATCH)))
            .mappings()
            .all()
        )
        if not batch:
            break
        for row in batch:
            mine = canton is None or row["canton"] == canton
            records += mine
            if row["seq"] != seq + 1:
                note(seq + 1, "missing")
            elif row["prev_hash"] != prev:
                note(row["seq"], "relinked")
            problem = _record_problem(row, ring)
            if problem is not None and mine:
                note(row["seq"], problem)
            seq, prev = row["seq"], row["hash"]
            if checkpoint is not None and seq == checkpoint["seq"]:
                at_checkpoint = prev
            if first is not None and canton is None:
                break
    if checkpoint is not None:
        if int(checkpoint["seq"]) > seq and first is None:
            note(seq + 1, "truncated")
        elif at_checkpoint is not None and at_checkpoint != checkpoint["hash"]:
            note(int(checkpoint["seq"]), "rewritten")
    if forged:
        note(seq, "checkpoint-invalid")
    return Verdict(
        ok=first is None,
        records=records,
        broken_at=first[0] if first else None,
        problem=first[1] if first else None,
        checkpoint_checked=checkpoint is not None,
    )
