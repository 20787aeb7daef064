"""Fixtures of the webhooks service's tests: a migrated database per backend and a client (kit's plugin, like every
suite), and an app whose event catalogue is read from the real source services' apps (in-process)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from kit import testing
from kit.pytest_plugin import client_fixture, database_fixture
from kit.settings import AuthSettings
from webhooks.endpoint.catalogue import EventCatalogue
from webhooks.main import create_app
from webhooks.models import Base
from webhooks.settings import WebhooksSettings

SOURCES = {"programme": "http://programme", "funding": "http://funding", "evaluation": "http://evaluation"}


database_url = database_fixture("webhooks")
client = client_fixture("webhooks")


def source_apps_client() -> httpx.AsyncClient:
    """The source services' own apps behind their URLs; `/asyncapi.json` needs no database."""
    from evaluation.main import create_app as evaluation_app
    from funding.main import create_app as funding_app
    from programme.main import create_app as programme_app

    apps = {"programme": programme_app(), "funding": funding_app(), "evaluation": evaluation_app()}
    return httpx.AsyncClient(mounts={f"{u}": httpx.ASGITransport(app=apps[s]) for s, u in SOURCES.items()})


@pytest.fixture
async def app(database_url: str, key_dir: Path) -> AsyncIterator[FastAPI]:
    await testing.reset(database_url, Base.metadata)
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
