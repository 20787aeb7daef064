"""The audit trail: every change leaves exactly one record (who, when, what, before, after, request id) in the
same transaction, in an append-only table whose records are chained by a keyed hash (`kit.audit_chain`) so a
changed or deleted record is found at its place, and whose head is checkpointed outside the database after every
transaction that wrote records (`kit.audit_keys`), so a removed tail is found too. The request id a record names is
the platform's own id for the request, never one the caller chose.

The trail is written by session events, so no use case can forget it: each flushed insert, update or delete of
an audited table becomes one record per entity and transaction (several flushes of one entity merge into one
record with the first `before` and the last `after`). Appends are serialised (an advisory lock on PostgreSQL,
`BEGIN IMMEDIATE` on SQLite) so the chain has no forks.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, BigInteger, String, event, insert, inspect, select, text
from sqlalchemy.orm import Mapped, Session, UOWTransaction, mapped_column
from sqlalchemy.orm.base import NO_VALUE

from kit.audit_chain import GENESIS, guard_sql, record_hash
from kit.audit_keys import checkpoint_file, keyring, write_checkpoint
from kit.canonical import plain
from kit.db_types import UtcDateTime
from kit.observability import platform_request_id

logger = logging.getLogger("kip.audit")
ADVISORY_LOCK_KEY = 7_354_218_001  # any constant; one chain per database

#: (canton, partner_id) of a changed entity, used to decide who may read its audit records. Called at commit
#: time with the session, so it may look related records up.
ScopeFn = Callable[[Session, Any], tuple[str | None, str | None]]


def default_scope(_session: Session, obj: Any) -> tuple[str | None, str | None]:
    canton = getattr(obj, "canton", None)
    partner = getattr(obj, "partner_id", None)
    return (str(canton) if canton else None, str(partner) if partner else None)


class AuditRecordMixin:
    """Columns of a service's `audit_record` table; each service maps it on its own Base."""

    __tablename__ = "audit_record"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(30))
    request_id: Mapped[str | None] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(60), index=True)
    entity_id: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(10))
    canton: Mapped[str | None] = mapped_column(String(2), index=True)
    partner_id: Mapped[str | None] = mapped_column(String(36), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Which key MACed the record (keys rotate; verification knows the old ones).
    key_id: Mapped[str | None] = mapped_column(String(40))


@dataclass
class _Change:
    entity: str
    entity_id: str
    action: str
    obj: Any
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class AuditConfig:
    model: type[Any]
    scope: ScopeFn = default_scope
    pending: dict[tuple[str, str], _Change] = field(default_factory=dict)


_plain = plain  # the trail's JSON form of values (kit.canonical)


#: A model names columns whose values never reach the trail (signing secrets) in `__audit_redacted__`.
REDACTED = "[redacted]"


def _redact(obj: Any, values: dict[str, Any]) -> dict[str, Any]:
    for key in getattr(obj, "__audit_redacted__", ()):
        if values.get(key) is not None:
            values[key] = REDACTED
    return values


def _columns(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return _redact(obj, {attr.key: _plain(getattr(obj, attr.key)) for attr in mapper.column_attrs})


def _before_values(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if history.deleted:
            old = history.deleted[0]
        elif history.unchanged:
            old = history.unchanged[0]
        else:
            old = history.added[0] if history.added else None
        values[attr.key] = _plain(None if old is NO_VALUE else old)
    return _redact(obj, values)


def _identity(obj: Any) -> str:
    identity = inspect(obj).identity
    if identity is None:
        return str(getattr(obj, "id", ""))
    return "/".join(str(v) for v in identity)


def _record(
    config: AuditConfig, obj: Any, action: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> None:
    table = getattr(obj, "__tablename__", None)
    if table is None or table == config.model.__tablename__:
        return
    key = (table, _identity(obj))
    existing = config.pending.get(key)
    if existing is None:
        config.pending[key] = _Change(table, key[1], action, obj, before, after)
        return
    existing.after = after
    if existing.action == "create" and action == "delete":
        del config.pending[key]  # created and removed in one transaction: no net change
    elif existing.action != "create":
        existing.action = action


def _config(session: Session) -> AuditConfig | None:
    config = session.info.get("audit")
    return config if isinstance(config, AuditConfig) else None


@event.listens_for(Session, "before_flush")
def _capture_before(session: Session, _ctx: UOWTransaction, _instances: Iterable[Any] | None) -> None:
    config = _config(session)
    if config is None:
        return
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            session.info.setdefault("audit_before", {})[id(obj)] = _before_values(obj)
    for obj in session.deleted:
        _record(config, obj, "delete", _columns(obj), None)


@event.listens_for(Session, "after_flush")
def _capture_after(session: Session, _ctx: UOWTransaction) -> None:
    config = _config(session)
    if config is None:
        return
    befores = session.info.pop("audit_before", {})
    for obj in session.new:
        _record(config, obj, "create", None, _columns(obj))
    for obj in session.dirty:
        if id(obj) in befores:
            _record(config, obj, "update", befores[id(obj)], _columns(obj))


@event.listens_for(Session, "before_commit")
def _write_trail(session: Session) -> None:
    config = _config(session)
    if config is None:
        return
    session.flush()
    if not config.pending:
        return
    changes = list(config.pending.values())
    config.pending.clear()
    actor, role = session.info.get("actor", ("system", "system"))
    request_id = platform_request_id()
    ring = keyring()
    model = config.model
    bind = session.connection()
    if bind.dialect.name == "postgresql":
        bind.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    last = bind.execute(select(model.seq, model.hash).order_by(model.seq.desc()).limit(1)).first()
    seq, prev_hash = (last[0], last[1]) if last else (0, GENESIS)
    now = dt.datetime.now(dt.UTC)
    rows = []
    for change in changes:
        seq += 1
        canton, partner_id = config.scope(session, change.obj)
        row = {
            "seq": seq,
            "at": now,
            "actor": str(actor)[:200],
            "actor_role": str(role)[:30],
            "request_id": request_id,
            "entity": change.entity,
            "entity_id": change.entity_id[:200],
            "action": change.action,
            "canton": canton,
            "partner_id": partner_id,
            "before": change.before,
            "after": change.after,
            "prev_hash": prev_hash,
            "key_id": ring.current,
        }
        row["hash"] = record_hash(row, ring)
        prev_hash = row["hash"]
        rows.append(row)
    bind.execute(insert(model), rows)
    trail = model.__module__.split(".")[0]
    session.info["audit_head"] = (checkpoint_file(trail, bind.engine.url), trail, seq, prev_hash, now.isoformat())


@event.listens_for(Session, "after_commit")
def _checkpoint(session: Session) -> None:
    """The committed head leaves the database. A checkpoint that cannot be written is logged, not raised: the
    change is committed already, and the next write checkpoints a newer head."""
    head = session.info.pop("audit_head", None)
    if head is None:
        return
    path, trail, seq, head_hash, at = head
    try:
        write_checkpoint(path, keyring(), trail, seq, head_hash, at)
    except OSError:
        logger.exception("audit checkpoint not written to %s (head %s)", path, seq)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    config = _config(session)
    if config is not None:
        config.pending.clear()
    session.info.pop("audit_before", None)
    session.info.pop("audit_head", None)


def attach(session: Session, model: type[Any], scope: ScopeFn = default_scope) -> None:
    """Turn the trail on for a session (the request session and the seed do this)."""
    session.info["audit"] = AuditConfig(model=model, scope=scope)


def append_only_sql(dialect: str, table: str = "audit_record") -> tuple[list[str], list[str]]:
    """The guard as the first audit migration made it (UPDATE and DELETE on PostgreSQL, UPDATE on SQLite); later
    migrations use `kit.audit_chain.guard_sql`. Its drop list removes either guard."""
    create = {
        "postgresql": [
            f"""CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{table} is append-only'; END $$""",
            f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
        ],
        "sqlite": [
            f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
        ],
    }
    return (create.get(dialect, []), guard_sql(dialect, table)[1])


PARTNER_ATTRIBUTES = ("partner_id", "addressee_partner_id", "owner_partner_id")


def scope_via(parents: dict[str, type[Any]]) -> ScopeFn:
    """A scope function for services whose rows carry `canton` and a partner id themselves or through a parent
    row: `parents` maps a reference attribute (`agreement_id`) to the model it points to (`Agreement`)."""

    def scope(session: Session, obj: Any) -> tuple[str | None, str | None]:
        canton = getattr(obj, "canton", None)
        partner = next((getattr(obj, a) for a in PARTNER_ATTRIBUTES if getattr(obj, a, None) is not None), None)
        for attribute, model in parents.items():
            if canton is not None and partner is not None:
                break
            ref = getattr(obj, attribute, None)
            if ref is None or isinstance(obj, model):
                continue
            parent = session.get(model, ref)
            if parent is not None:
                parent_canton, parent_partner = scope(session, parent)
                canton = canton or parent_canton
                partner = partner or parent_partner
        return (str(canton) if canton else None, str(partner) if partner else None)

    return scope
