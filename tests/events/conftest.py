"""Event fixtures: the real service apps, seeded once per backend, behind a real gateway, all in-process.

Tests never reset the data: each one reads the feed's end first (`Feed.tail`) and looks only at what came after,
and makes the resources it changes itself.
"""

from __future__ import annotations

import asyncio
import importlib
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.main import create_app as create_gateway
from gateway.settings import EVENT_SOURCES as SERVICES
from gateway.settings import GatewaySettings
from kit import testing
from kit.auth import ensure_local_keypair, issue_token
from kit.ids import seed_uuid
from kit.settings import AuthSettings
from support.jetstream import OwnStream
from support.jetstream import jetstream as own_stream


@pytest.fixture(scope="session")
def events_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("events-keys")


@pytest.fixture(scope="session")
def events_auth(events_keys: Path) -> AuthSettings:
    return AuthSettings(local_key_dir=events_keys)


@pytest.fixture(scope="session", params=testing.backends())
def events_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    tmp = tmp_path_factory.mktemp("events-db")
    urls = {s: testing.migrated_database(request.param, f"events_{s}", s, tmp) for s in SERVICES}
    for service in SERVICES:
        asyncio.run(importlib.import_module(f"{service}.cli").seed_database(urls[service]))
    yield urls


def service_app(service: str, url: str, auth: AuthSettings) -> FastAPI:
    main = importlib.import_module(f"{service}.main")
    settings_cls = getattr(importlib.import_module(f"{service}.settings"), f"{service.capitalize()}Settings")
    app: FastAPI = main.create_app(settings_cls(database_url=url), auth)
    return app


@pytest.fixture
async def services(events_databases: dict[str, str], events_auth: AuthSettings) -> AsyncIterator[dict[str, FastAPI]]:
    apps: dict[str, FastAPI] = {}
    async with AsyncExitStack() as stack:
        for service in SERVICES:
            app = service_app(service, events_databases[service], events_auth)
            await stack.enter_async_context(app.router.lifespan_context(app))
            apps[service] = app
        for app in apps.values():
            for neighbour in ("programme", "evaluation"):
                old = getattr(app.state, f"{neighbour}_client", None)
                if old is None:
                    continue
                wired = httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=apps[neighbour]), base_url=f"http://{neighbour}", timeout=5.0
                )
                setattr(app.state, f"{neighbour}_client", wired)
                stack.push_async_callback(wired.aclose)
                await old.aclose()
        yield apps


@pytest.fixture
async def client(services: dict[str, FastAPI], events_auth: AuthSettings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the gateway, which reaches the service apps in-process."""
    urls: dict[str, Any] = {f"{s}_url": f"http://{s}" for s in SERVICES}
    settings = GatewaySettings(**urls, docs_prefetch=False)
    gateway = create_gateway(settings, events_auth, {s: httpx.ASGITransport(app=a) for s, a in services.items()})
    async with (
        gateway.router.lifespan_context(gateway),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://gateway", timeout=30) as c,
    ):
        yield c


class Tokens:
    def __init__(self, key_dir: Path) -> None:
        self.key = ensure_local_keypair(key_dir)[0]

    def __call__(
        self, role: str, *, canton: str | None = None, partner: str | None = None, **kw: Any
    ) -> dict[str, str]:
        partner_id: uuid.UUID | None = seed_uuid("partner", partner) if partner else None
        jwt = issue_token(self.key, role=role, canton=canton, partner_id=partner_id, **kw)
        return {"Authorization": f"Bearer {jwt}"}


@pytest.fixture(scope="session")
def token(events_keys: Path) -> Tokens:
    return Tokens(events_keys)


@pytest.fixture
async def jetstream() -> AsyncIterator[tuple[Any, OwnStream]]:
    """A JetStream context, and a stream name and subject prefix of this test's own (the stream deleted after)."""
    async with own_stream() as found:
        yield found
