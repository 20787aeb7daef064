"""Test plumbing shared by the services' suites: real databases built by the migrations, and tokens.

SQLite always; PostgreSQL as well whenever `KIP_TEST_POSTGRES_URL` names a server (CI sets it). A server that
was named but cannot be reached fails the run instead of skipping it.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from kit import migrations
from kit.audit_chain import guard_sql
from kit.audit_keys import forget_checkpoints
from kit.db import create_engine as create_async_engine
from kit.db import sync_url

POSTGRES_ENV = "KIP_TEST_POSTGRES_URL"
#: Prefix of the PostgreSQL databases the suites create (`<prefix>_<name>`); two runs on one server at the same
#: time need different prefixes.
DB_PREFIX_ENV = "KIP_TEST_DB_PREFIX"


def db_prefix() -> str:
    """`KIP_TEST_DB_PREFIX` (default `kip_test`), with the pytest-xdist worker's name when the suite runs on
    several workers, so that two workers never share a database."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base = os.environ.get(DB_PREFIX_ENV, "kip_test")
    return f"{base}_{worker}" if worker else base


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


def _postgres_admin_url() -> str:
    return os.environ[POSTGRES_ENV]


def fresh_database(backend: str, name: str, tmp_dir: Path) -> str:
    """An empty database for one suite: a new SQLite file, or a dropped and re-created PostgreSQL database (and no
    audit checkpoints of an earlier one under the same name)."""
    if backend == "sqlite":
        path = tmp_dir / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        forget_checkpoints(f"sqlite:///{path}")
        return f"sqlite:///{path}"
    admin = make_url(_postgres_admin_url())
    db_name = f"{db_prefix()}_{name}"
    engine = create_engine(sync_url(admin.render_as_string(hide_password=False)), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{db_name}"'))
    finally:
        engine.dispose()
    url = admin.set(database=db_name).render_as_string(hide_password=False)
    forget_checkpoints(url)
    return url


def migrated_database(backend: str, name: str, package: str, tmp_dir: Path) -> str:
    url = fresh_database(backend, name, tmp_dir)
    migrations.upgrade(package, url)
    return url


async def truncate_all(engine: AsyncEngine, metadata: MetaData) -> None:
    """Empty every table of a service between tests (faster than rebuilding, and safe with concurrency), past the
    audit trail's guard, and forget the trail's checkpoints: a test's reset is not an attack on the trail."""
    tables = list(reversed(metadata.sorted_tables))
    forget_checkpoints(engine.url)
    guard = guard_sql(engine.dialect.name) if "audit_record" in metadata.tables else ([], [])
    if engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        async with engine.begin() as conn:
            for statement in [*guard[1], f"TRUNCATE {names} RESTART IDENTITY CASCADE", *guard[0]]:
                await conn.execute(text(statement))
        return
    # SQLite: rows of self-referencing tables go in any order, so switch the foreign keys off meanwhile.
    plain = create_engine(engine.url.set(drivername="sqlite"))
    try:
        with plain.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for statement in guard[1]:
                conn.exec_driver_sql(statement)
            for table in tables:
                conn.execute(table.delete())
            for statement in guard[0]:
                conn.exec_driver_sql(statement)
            conn.commit()
    finally:
        plain.dispose()


async def reset(url: str, metadata: MetaData) -> None:
    """Empty every table of a service's database before a test (`truncate_all` on an engine of its own)."""
    engine = create_async_engine(url)
    try:
        await truncate_all(engine, metadata)
    finally:
        await engine.dispose()
