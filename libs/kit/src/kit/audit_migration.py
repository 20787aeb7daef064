"""The migration that keys an existing audit trail (each service runs it once, from its own Alembic revision).

Records written before the trail was keyed carry an unkeyed SHA-256 chain that anyone holding the database could
recompute. The migration first verifies that chain as it stands (a broken chain is refused: re-keying it would
launder the damage; the error names the first record that does not fit), then re-computes every record's hash as
HMAC-SHA256 under the current key (`KIP_AUDIT_KEY_ID`), in sequence order, and replaces the guard by the one that
also refuses DELETE (SQLite) and TRUNCATE (PostgreSQL). Downgrading re-computes the unkeyed chain.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from kit.audit import append_only_sql
from kit.audit_chain import GENESIS, guard_sql, legacy_hash, record_hash
from kit.audit_keys import keyring
from kit.db_types import UtcDateTime

BATCH = 1000


def _table(with_key: bool) -> sa.Table:
    columns: list[sa.Column[Any]] = [
        sa.Column("seq", sa.BigInteger, primary_key=True),
        sa.Column("at", UtcDateTime()),
        sa.Column("actor", sa.String),
        sa.Column("actor_role", sa.String),
        sa.Column("request_id", sa.String),
        sa.Column("entity", sa.String),
        sa.Column("entity_id", sa.String),
        sa.Column("action", sa.String),
        sa.Column("canton", sa.String),
        sa.Column("partner_id", sa.String),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
        sa.Column("prev_hash", sa.String),
        sa.Column("hash", sa.String),
    ]
    if with_key:
        columns.append(sa.Column("key_id", sa.String))
    return sa.Table("audit_record", sa.MetaData(), *columns)


def _rows(bind: sa.Connection, table: sa.Table) -> Any:
    seq = 0
    while True:
        batch = bind.execute(select_after(table, seq)).mappings().all()
        if not batch:
            return
        for row in batch:
            yield dict(row)
        seq = batch[-1]["seq"]


def select_after(table: sa.Table, seq: int) -> sa.Select[Any]:
    return sa.select(table).where(table.c.seq > seq).order_by(table.c.seq).limit(BATCH)


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    for statement in append_only_sql(dialect)[1]:
        op.execute(statement)
    op.add_column("audit_record", sa.Column("key_id", sa.String(length=40), nullable=True))
    table = _table(with_key=True)
    ring = keyring()
    expected, old_prev, new_prev = 1, GENESIS, GENESIS
    for row in _rows(bind, table):
        if row["seq"] != expected or row["prev_hash"] != old_prev or legacy_hash(row) != row["hash"]:
            raise RuntimeError(
                f"The audit trail does not verify at record {expected}; it is not re-keyed (that would hide the "
                "damage). Restore the trail from a backup, or investigate, before migrating."
            )
        old_prev = row["hash"]
        row.update(key_id=ring.current, prev_hash=new_prev)
        new_hash = record_hash(row, ring)
        bind.execute(
            table.update()
            .where(table.c.seq == row["seq"])
            .values(key_id=ring.current, prev_hash=new_prev, hash=new_hash)
        )
        new_prev = new_hash or ""
        expected += 1
    for statement in guard_sql(dialect)[0]:
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    for statement in guard_sql(dialect)[1]:
        op.execute(statement)
    table = _table(with_key=True)
    prev = GENESIS
    for row in _rows(bind, table):
        row["prev_hash"] = prev
        new_hash = legacy_hash(row)
        bind.execute(table.update().where(table.c.seq == row["seq"]).values(prev_hash=prev, hash=new_hash))
        prev = new_hash
    with op.batch_alter_table("audit_record") as batch_op:
        batch_op.drop_column("key_id")
    for statement in append_only_sql(dialect)[0]:
        op.execute(statement)
