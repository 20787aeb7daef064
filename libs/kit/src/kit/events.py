"""Domain events, written with the change that causes them (a transactional outbox).

A service declares its events once, as rules over its tables (`Catalogue`); no use case emits anything by hand.
Session hooks, like the audit trail's, see every flushed insert, update and delete of a table a rule names and,
when the transaction commits, write one row per event into the service's `event` table in that same transaction:
an event exists exactly when its change committed.

Positions are commit-ordered. An autoincrement position is taken when a row is inserted, so with concurrent
transactions a lower position can commit after a higher one, and a reader that already moved past the higher one
would skip it for good. Here the position is `max(position) + 1` taken under a lock held until the commit: the
transaction-scoped advisory lock the audit trail already takes on PostgreSQL (so it costs no extra waiting), and
on SQLite the database's single write lock (`BEGIN IMMEDIATE`). The next writer can only read the maximum after
this transaction committed, so positions become visible in increasing order and a reader that resumes after
position `p` can never meet a position below `p` later. `tests/events/test_ordering.py` holds one transaction
open after it wrote its event and shows that a second one waits and the feed serves neither until both commit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, BigInteger, String, event, func, insert, inspect, select, text
from sqlalchemy.orm import Mapped, Session, UOWTransaction, mapped_column

from kit.audit import ADVISORY_LOCK_KEY, ScopeFn, default_scope
from kit.canonical import plain as _plain
from kit.db_types import UtcDateTime
from kit.event_schema import CREATED as CREATED
from kit.event_schema import DELETED as DELETED
from kit.event_schema import UPDATED as UPDATED

#: Columns every versioned row changes on every update; they are not news.
BOOKKEEPING = frozenset({"version", "updated_at", "created_at"})


class EventMixin:
    """Columns of a service's `event` table (the outbox and the feed); each service maps it on its own Base."""

    __tablename__ = "event"

    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(100), index=True)
    source: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(200))
    time: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    canton: Mapped[str | None] = mapped_column(String(2), index=True)
    partner_id: Mapped[str | None] = mapped_column(String(36), index=True)
    programme_id: Mapped[str | None] = mapped_column(String(36), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class EventRelayMixin:
    """How far each relay (a sink such as NATS) has published the feed: one row per sink."""

    __tablename__ = "event_relay"

    sink: Mapped[str] = mapped_column(String(50), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)


@dataclass(frozen=True)
class Rule:
    """One kind of event: a change of `table` becomes an event typed `<service>.<aggregate>.<what>`.

    Without `column`, every create, update and delete is `…changed` (with `data.action`). With `column`, the
    event is raised when the column takes one of `values` (on insert, or on an update from another value), and
    `<what>` is `what` or, if empty, the new value itself (`disbursement.status` → `approved`). A `column` without
    `values` raises the event whenever the column takes a new value other than null (`responded_at`)."""

    table: str
    aggregate: str
    what: str = "changed"
    column: str | None = None
    values: tuple[str, ...] = ()
    actions: tuple[str, ...] = (CREATED, UPDATED, DELETED)
    version: str = "version"
    programme: str = "programme_id"
    summary: str = ""

    def types(self, service: str) -> list[str]:
        whats = [self.what] if self.what or not self.values else list(self.values)
        return [f"{service}.{self.aggregate}.{w}" for w in whats]


@dataclass(frozen=True)
class Catalogue:
    """Every event a service raises, its outbox tables, and how to find the canton and partner of a row."""

    service: str
    rules: Sequence[Rule]
    model: type[Any]
    relay_model: type[Any]
    scope: ScopeFn = default_scope

    @property
    def source(self) -> str:
        return f"/kip/{self.service}"

    def types(self) -> dict[str, Rule]:
        return {t: r for r in self.rules for t in r.types(self.service)}

    def attach(self, session: Session, notify: Callable[[], None] | None = None) -> None:
        """Turn event capture on for a session (the request session does this for every write)."""
        session.info["events"] = _Capture(self, notify)


@dataclass
class _Pending:
    obj: Any
    action: str
    changed: set[str] = field(default_factory=set)
    first_values: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Capture:
    catalogue: Catalogue
    notify: Callable[[], None] | None
    pending: dict[tuple[str, int], _Pending] = field(default_factory=dict)
    written: bool = False


def _capture(session: Session) -> _Capture | None:
    found = session.info.get("events")
    return found if isinstance(found, _Capture) else None


def _watched(catalogue: Catalogue, table: str) -> list[Rule]:
    return [r for r in catalogue.rules if r.table == table]


def _note(capture: _Capture, obj: Any, action: str) -> None:
    table = getattr(obj, "__tablename__", None)
    rules = _watched(capture.catalogue, table) if table else []
    if not rules:
        return
    state = inspect(obj)
    changed: set[str] = set()
    old: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if action == UPDATED and history.has_changes():
            changed.add(attr.key)
            old[attr.key] = _plain(history.deleted[0]) if history.deleted else None
    key = (str(table), id(obj))
    pending = capture.pending.get(key)
    if pending is None:
        capture.pending[key] = _Pending(obj, action, changed, old)
        return
    pending.changed |= changed
    for name, value in old.items():
        pending.first_values.setdefault(name, value)
    if action == DELETED:
        pending.action = DELETED


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    capture = _capture(session)
    if capture is None:
        return
    for obj in session.new:
        _note(capture, obj, CREATED)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            _note(capture, obj, UPDATED)
    for obj in session.deleted:
        _note(capture, obj, DELETED)


def _events_of(catalogue: Catalogue, pending: _Pending) -> Iterable[tuple[Rule, str, dict[str, Any]]]:
    obj = pending.obj
    for rule in _watched(catalogue, obj.__tablename__):
        if pending.action not in rule.actions:
            continue
        extra: dict[str, Any] = {}
        what = rule.what
        if rule.column is not None:
            new = _plain(getattr(obj, rule.column, None))
            if pending.action == DELETED or new is None or (rule.values and new not in rule.values):
                continue
            if pending.action == UPDATED:
                if rule.column not in pending.changed:
                    continue
                previous = pending.first_values.get(rule.column)
                if previous == new:
                    continue
                extra["previous"] = previous
            extra[rule.column] = new
            what = what or str(new)
        yield rule, f"{catalogue.service}.{rule.aggregate}.{what}", extra


def _row(
    catalogue: Catalogue, session: Session, pending: _Pending, rule: Rule, type_: str, extra: dict[str, Any]
) -> dict[str, Any]:
    obj = pending.obj
    canton, partner_id = catalogue.scope(session, obj)
    programme = getattr(obj, rule.programme, None) if rule.programme != "id" else obj.id
    identity = inspect(obj).identity
    resource_id = "/".join(str(v) for v in identity) if identity else str(getattr(obj, "id", ""))
    version = getattr(obj, rule.version, None)
    data = {
        "id": resource_id,
        "resource": obj.__tablename__,
        "action": pending.action,
        "version": version if isinstance(version, int) else None,
        "canton": canton,
        "programme_id": str(programme) if programme is not None else None,
        "partner_id": partner_id,
        "changed": sorted(pending.changed - BOOKKEEPING) if pending.action == UPDATED else [],
        **extra,
    }
    return {
        "id": str(uuid.uuid4()),
        "type": type_,
        "source": catalogue.source,
        "subject": f"{obj.__tablename__}/{resource_id}",
        "canton": canton,
        "partner_id": partner_id,
        "programme_id": data["programme_id"],
        "data": data,
    }


@event.listens_for(Session, "before_commit")
def _write_events(session: Session) -> None:
    capture = _capture(session)
    if capture is None:
        return
    session.flush()
    if not capture.pending:
        return
    pendings = list(capture.pending.values())
    capture.pending.clear()
    catalogue = capture.catalogue
    rows = [_row(catalogue, session, p, *found) for p in pendings for found in _events_of(catalogue, p)]
    if not rows:
        return
    bind = session.connection()
    if bind.dialect.name == "postgresql":  # the audit trail's lock: one writer of positions until commit
        bind.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    model = catalogue.model
    position = bind.execute(select(func.coalesce(func.max(model.position), 0))).scalar_one()
    now = dt.datetime.now(dt.UTC)
    for row in rows:
        position += 1
        row["position"] = position
        row["time"] = now
    bind.execute(insert(model), rows)
    capture.written = True


@event.listens_for(Session, "after_commit")
def _wake(session: Session) -> None:
    capture = _capture(session)
    if capture is not None and capture.written:
        capture.written = False
        if capture.notify is not None:
            capture.notify()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    capture = _capture(session)
    if capture is not None:
        capture.pending.clear()
        capture.written = False


def cloud_event(row: Any) -> dict[str, Any]:
    """An `event` row as CloudEvents 1.0 JSON (structured mode); `sequence` is the row's position in its source."""
    time: dt.datetime = row.time
    return {
        "specversion": "1.0",
        "id": row.id,
        "source": row.source,
        "type": row.type,
        "subject": row.subject,
        "time": time.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "sequence": str(row.position),
        "data": row.data,
    }
