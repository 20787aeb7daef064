"""Fixtures of the programme service's tests: a migrated database per backend, an app on it, tokens (the key, the
backends and `token` come from kit's pytest plugin, `kit.pytest_plugin`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from kit import testing
from kit.db import create_engine
from kit.pytest_plugin import started
from kit.settings import AuthSettings
from programme.main import create_app
from programme.models import Base
from programme.settings import ProgrammeSettings


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    return testing.migrated_database(backend, "programme", "programme", tmp_path_factory.mktemp("db"))


@pytest.fixture
async def app(database_url: str, key_dir: Path) -> AsyncIterator[FastAPI]:
    engine = create_engine(database_url)
    await testing.truncate_all(engine, Base.metadata)
    await engine.dispose()
    application = create_app(ProgrammeSettings(database_url=database_url), AuthSettings(local_key_dir=key_dir))
    async for running in started(application):
        yield running


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://programme") as c:
        yield c


@pytest.fixture
async def seeded(app: FastAPI, database_url: str) -> None:
    """Basel-Landschaft's seed (KIP 2bis and KIP 3, areas, partners, measures), loaded as `kip seed` does."""
    from programme.cli import seed_database

    assert await seed_database(database_url) > 40
