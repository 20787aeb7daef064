"""`kip db-create`: make each service's PostgreSQL database if it is missing (SQLite files need nothing).

The database is named by the service's `<SERVICE>_DATABASE_URL`; the server is reached through its maintenance
database (`postgres`, or `KIP_POSTGRES_MAINTENANCE_DB`) with the same user, who needs the CREATEDB privilege.
"""

from __future__ import annotations

import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kit.db import ensure_sqlite_dir, sync_url


def database_name(url: str) -> str:
    return make_url(url).database or ""


def ensure_database(url: str) -> bool:
    """Create the database `url` names when it does not exist; True when it was created."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        ensure_sqlite_dir(url)
        return False
    if backend != "postgresql":
        raise ValueError(f"only PostgreSQL and SQLite databases are supported, not {backend}")
    name = parsed.database
    if not name:
        raise ValueError("the database URL names no database")
    maintenance = parsed.set(database=os.environ.get("KIP_POSTGRES_MAINTENANCE_DB", "postgres"))
    engine = create_engine(sync_url(maintenance.render_as_string(hide_password=False)), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first()
            if exists:
                return False
            quoted = engine.dialect.identifier_preparer.quote_identifier(name)
            conn.execute(text(f"CREATE DATABASE {quoted}"))
            return True
    finally:
        engine.dispose()


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)
