"""Database plumbing: engines for SQLite and PostgreSQL, the declarative base, URL helpers. The session of a
request (one session, one transaction) is built on this floor in `kit.session`.

The same code runs on the embedded default (a SQLite file) and on PostgreSQL. URLs are given plainly
(`sqlite:///var/programme.db`, `postgresql://user@host/db`); the async driver for the app (aiosqlite, asyncpg)
and the sync driver for migrations and tools (sqlite3, psycopg) are chosen here.

Reads and writes take different paths. A request that may write (POST, PUT, PATCH, DELETE) runs in one
transaction (`BEGIN IMMEDIATE` on SQLite). A read (GET, HEAD, OPTIONS) costs as few round trips as possible: on
PostgreSQL it runs without `BEGIN`/`COMMIT` (autocommit: each statement sees the data committed when it starts,
exactly what a READ COMMITTED transaction would give it); on SQLite in a deferred transaction, a snapshot beside
the writer. Pooled connections are not pinged before use: a connection the database dropped fails its request
with a 503 problem and SQLAlchemy replaces the pool's connections (see `kit.db_problems`), and `pool_recycle`
retires connections before servers or proxies time them out.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import Uuid

from kit import sqlite_close
from kit.db_types import UtcDateTime as UtcDateTime

if TYPE_CHECKING:
    from kit.session import SAFE_METHODS as SAFE_METHODS
    from kit.session import SessionDep as SessionDep
    from kit.session import _request_session as _request_session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Typed declarative base; each service defines its own subclass so each has its own metadata."""

    __abstract__ = True


def make_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic concurrency: every UPDATE checks and bumps `version`, which is also the ETag."""

    version: Mapped[int] = mapped_column(default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def async_url(url: str) -> URL:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return u.set(drivername="sqlite+aiosqlite")
    if u.get_backend_name() == "postgresql":
        u = u.set(drivername="postgresql+asyncpg")
        if "sslmode" in u.query:  # libpq's name; asyncpg takes the same modes as `ssl`
            u = u.difference_update_query(["sslmode"]).update_query_dict({"ssl": u.query["sslmode"]})
        return u
    return u


def sync_url(url: str) -> URL:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return u.set(drivername="sqlite")
    if u.get_backend_name() == "postgresql":
        return u.set(drivername="postgresql+psycopg")
    return u


def ensure_sqlite_dir(url: str) -> None:
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        Path(u.database).parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(sync_engine: Any) -> None:
    """SQLite: WAL, foreign keys, and an explicit BEGIN. A transaction that may write begins with
    `BEGIN IMMEDIATE`, so concurrent writers queue for the lock instead of deadlocking on an upgrade; a read-only
    request (execution option `read_only`, see `_request_session`) begins a deferred transaction and reads its
    snapshot alongside the writer."""

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        read_only = conn.get_execution_options().get("read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def create_engine(
    url: str, *, echo: bool = False, pool_size: int = 16, pool_pre_ping: bool = False, pool_recycle: int = 1800
) -> AsyncEngine:
    ensure_sqlite_dir(url)
    if is_sqlite(url):
        sqlite_close.install()
        engine = create_async_engine(async_url(url), echo=echo, connect_args={"timeout": 30})
        _configure_sqlite(engine.sync_engine)
        return engine
    return create_async_engine(
        async_url(url),
        echo=echo,
        pool_size=pool_size,
        max_overflow=max(1, pool_size // 4),
        pool_pre_ping=pool_pre_ping,
        pool_recycle=pool_recycle,
    )


def write_queue(engine: AsyncEngine) -> asyncio.Lock | None:
    """On SQLite, the queue a process's writes wait in, in arrival order, before `BEGIN IMMEDIATE`.

    SQLite has one write lock per file. Writers that meet it taken wait in SQLite's busy handler, which polls with
    back-off up to 100 ms: a writer that has waited a while sleeps through the moments the lock is free, and
    newcomers overtake it, so under load a few writes wait for seconds. Queued here, each write starts the moment
    the one before it ends. Other processes (`kip seed`, a second worker) still meet the busy handler. PostgreSQL
    locks rows, not the database: no queue."""
    return asyncio.Lock() if engine.dialect.name == "sqlite" else None


def read_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same engine and pool for reads: autocommit on PostgreSQL, a deferred transaction on SQLite."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine.execution_options(read_only=True)


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


def get_dialect_name(session: AsyncSession) -> str:
    bind = session.get_bind()
    return bind.dialect.name


_MOVED_TO_SESSION = frozenset({"SessionDep", "SAFE_METHODS", "_request_session"})


def __getattr__(name: str) -> Any:
    """The request-scoped session lives in `kit.session` (a floor above this one: it attaches the audit trail and
    the outbox); `from kit.db import SessionDep` still works and imports it only when asked for."""
    if name in _MOVED_TO_SESSION:
        from kit import session

        return getattr(session, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
