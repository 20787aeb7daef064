"""The test that migrations and models agree, shared by every service's suite."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine

from kit import migrations
from kit.db import sync_url


def schema_differences(database_url: str, metadata: MetaData) -> list[Any]:
    """What autogenerate would still emit against a database built by the migrations (empty when they agree)."""
    engine = create_engine(sync_url(database_url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def round_trip(package: str, database_url: str) -> None:
    """upgrade → downgrade to base → upgrade again."""
    migrations.upgrade(package, database_url)
    migrations.downgrade(package, database_url, "base")
    migrations.upgrade(package, database_url)
