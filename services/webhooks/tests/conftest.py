"""Fixtures of the webhooks service's tests: a migrated database per backend, an app on it whose event catalogue
is read from the real source services' apps (in-process), tokens."""

from __future__ import annotations

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
from webhooks.endpoint.catalogue import EventCatalogue
from webhooks.main import create_app
from webhooks.models import Base
from webhooks.settings import WebhooksSettings

SOURCES = {"programme": "http://programme", "funding": "http://funding", "evaluation": "http://evaluation"}


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="session")
def private_key(key_dir: Path) -> bytes:
    return ensure_local_keypair(key_dir)[0]


@pytest.fixture(scope="session", params=testing.backends())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield testing.migrated_database(request.param, "webhooks", "webhooks", tmp_path_factory.mktemp("db"))


def source_apps_client() -> httpx.AsyncClient:
    """The source services' own apps behind their URLs; `/asyncapi.json` needs no database."""
    from evaluation.main import create_app as evaluation_app
    from funding.main import create_app as funding_app
    from programme.main import create_app as programme_app

    apps = {"programme": programme_app(), "funding": funding_app(), "evaluation": evaluation_app()}
    return httpx.AsyncClient(mounts={f"{u}": httpx.ASGITransport(app=apps[s]) for s, u in SOURCES.items()})


@pytest.fixture
async def app(database_url: str, key_dir: Path) -> AsyncIterator[FastAPI]:
    engine = create_engine(database_url)
    await testing.truncate_all(engine, Base.metadata)
    await engine.dispose()
    settings = WebhooksSettings(
        database_url=database_url,
        dispatch=False,
        programme_url=SOURCES["programme"],
        funding_url=SOURCES["funding"],
        evaluation_url=SOURCES["evaluation"],
    )
    application = create_app(settings, AuthSettings(local_key_dir=key_dir))
    async with application.router.lifespan_context(application), source_apps_client() as sources:
        application.state.catalogue = EventCatalogue(settings, sources)
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://webhooks") as c:
        yield c


@pytest.fixture
def token(private_key: bytes) -> Any:
    def make(role: str, *, canton: str | None = None, partner_id: uuid.UUID | None = None, **kw: Any) -> dict[str, str]:
        return {
            "Authorization": "Bearer " + issue_token(private_key, role=role, canton=canton, partner_id=partner_id, **kw)
        }

    return make
