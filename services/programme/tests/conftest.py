"""Fixtures of the programme service's tests: a migrated database per backend, an app on it emptied before each
test, a client, tokens (kit's pytest plugin, `kit.pytest_plugin`, makes them), and Basel-Landschaft's seed."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from kit.pytest_plugin import service_fixtures

database_url, app, client = service_fixtures("programme")


@pytest.fixture
async def seeded(app: FastAPI, database_url: str) -> None:
    """Basel-Landschaft's seed (KIP 2bis and KIP 3, areas, partners, measures), loaded as `kip seed` does."""
    from programme.cli import seed_database

    assert await seed_database(database_url) > 40
