"""Alembic, driven from code: one migration history per service, kept in `<service>/migrations/`."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from sqlalchemy import Connection, MetaData, create_engine

from kit.db import ensure_sqlite_dir, sync_url

if TYPE_CHECKING:  # Alembic is imported when a migration runs or readiness is asked, not when a process starts
    from alembic.config import Config


def alembic_config(package: str, database_url: str) -> Config:
    """`package` is the service's import name; its migrations live in `<package>/migrations`."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", f"{package}:migrations")
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(package: str, database_url: str, revision: str = "head") -> None:
    from alembic import command

    ensure_sqlite_dir(database_url)
    command.upgrade(alembic_config(package, database_url), revision)


def downgrade(package: str, database_url: str, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(package, database_url), revision)


@functools.cache
def head_revisions(package: str) -> frozenset[str]:
    """The heads of a service's migrations (read from its files once per process)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(package, "sqlite://"))
    return frozenset(script.get_heads())


def current_revisions(connection: Connection) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    return set(MigrationContext.configure(connection).get_current_heads())


def run_migrations_online(config: Config, target_metadata: MetaData) -> None:
    """The body of every service's `env.py`."""
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL given to the migrations")
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            from alembic import context

            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
                compare_server_default=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
