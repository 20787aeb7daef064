"""Fixtures of the programme service's tests: a migrated database per backend, an app on it, tokens."""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kit import testing
from kit.auth import ensure_local_keypair, issue_token
from kit.db import create_engine
from kit.settings import AuthSettings
from programme.main import create_app
from programme.models import Base
from programme.settings import ProgrammeSettings

sys.path.insert(0, str(Path(__file__).parent))  # the suite's factory module


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="session")
def private_key(key_dir: Path) -> bytes:
    return ensure_local_keypair(key_dir)[0]


@pytest.fixture(scope="session", params=testing.backends())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield testing.migrated_database(request.param, "programme", "programme", tmp_path_factory.mktemp("db"))


@pytest.fixture
async def app(database_url: str, key_dir: Path) -> AsyncIterator[FastAPI]:
    engine = create_engine(database_url)
    await testing.truncate_all(engine, Base.metadata)
    await engine.dispose()
    application = create_app(ProgrammeSettings(database_url=database_url), AuthSettings(local_key_dir=key_dir))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://programme") as c:
        yield c


@pytest.fixture
def token(private_key: bytes) -> Any:
    def make(role: str, *, canton: str | None = None, partner_id: uuid.UUID | None = None, **kw: Any) -> dict[str, str]:
        return {
            "Authorization": "Bearer " + issue_token(private_key, role=role, canton=canton, partner_id=partner_id, **kw)
        }

    return make


@pytest.fixture
async def seeded(app: FastAPI, database_url: str) -> None:
    """Basel-Landschaft's seed (KIP 2bis and KIP 3, areas, partners, measures), loaded as `kip seed` does."""
    from programme.cli import seed_database

    assert await seed_database(database_url) > 40
