"""Contract-test fixtures: the real service apps, each on its own database, behind the gateway's clients.

Every service app runs in-process with its lifespan and is reached through `httpx.ASGITransport`; the funding and
evaluation apps reach the programme app the same way. SQLite always; PostgreSQL too when `KIP_TEST_POSTGRES_URL`
is set. Databases are built once per backend by the migrations and emptied and re-seeded before each test.
"""

from __future__ import annotations

import importlib
import importlib.util
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.main import create_app
from gateway.settings import SERVICES, GatewaySettings
from kit import testing
from kit.auth import issue_token
from kit.db import create_engine
from kit.ids import seed_uuid
from kit.pytest_plugin import asgi_client, built_once, started
from kit.settings import AuthSettings

#: A closed local port: nothing listens there, so a client pointed at it fails to connect at once.
CLOSED = "http://127.0.0.1:9"
INSTALLED = [s for s in SERVICES if importlib.util.find_spec(s) is not None]
BL_KIP3 = seed_uuid("programme", "BL-KIP3")
#: The services whose events the webhooks service sends.
SOURCES = ("programme", "funding", "evaluation")

TokenFactory = Callable[..., dict[str, str]]


@dataclass
class Platform:
    """The service apps of one test and the gateway in front of them."""

    services: dict[str, FastAPI] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)

    def transport(self, service: str) -> httpx.AsyncBaseTransport:
        return httpx.ASGITransport(app=self.services[service])


@pytest.fixture(scope="session")
def auth_settings(key_dir: Path) -> AuthSettings:
    return AuthSettings(local_key_dir=key_dir)


@pytest.fixture(scope="session")
def data_state() -> dict[str, bool]:
    """Whether the seeded data may have been changed by a test (then the next test re-seeds first)."""
    return {}


@pytest.fixture(scope="session", params=testing.backends())
def database_urls(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, data_state: dict[str, bool]
) -> Iterator[dict[str, str]]:
    """The services' databases, freshly migrated and not yet seeded. Pytest builds a session fixture again when
    the backend changes back, as it does when a worker runs one module's SQLite tests, then its PostgreSQL tests,
    then the next module's. The PostgreSQL database then has the same URL but is empty again, so its seed state
    is forgotten here, not kept from the last build."""
    tmp = tmp_path_factory.mktemp("gw-db")
    urls = {s: testing.migrated_database(request.param, f"gw_{s}", s, tmp) for s in INSTALLED}
    data_state[next(iter(urls.values()))] = False
    yield urls


def _service_app(service: str, url: str, auth_settings: AuthSettings) -> FastAPI:
    """A service's app on `url`, made once per run (`built_once`); each test starts it anew."""
    return built_once(
        (service, url, auth_settings.local_key_dir), lambda: _new_service_app(service, url, auth_settings)
    )


def _new_service_app(service: str, url: str, auth_settings: AuthSettings) -> FastAPI:
    main = importlib.import_module(f"{service}.main")
    settings_cls = getattr(importlib.import_module(f"{service}.settings"), f"{service.capitalize()}Settings")
    # The webhooks service sends nothing here (no dispatcher); it reads its event catalogue from the apps in-process.
    extra: dict[str, Any] = (
        {"dispatch": False} | {f"{s}_url": f"http://{s}" for s in SOURCES} if service == "webhooks" else {}
    )
    app: FastAPI = main.create_app(settings_cls(database_url=url, **extra), auth_settings)
    return app


async def _reset(service: str, url: str) -> None:
    base = importlib.import_module(f"{service}.models").Base
    engine = create_engine(url)
    try:
        await testing.truncate_all(engine, base.metadata)
    finally:
        await engine.dispose()
    await importlib.import_module(f"{service}.cli").seed_database(url)


@pytest.fixture
def changes_data(data_state: dict[str, bool], database_urls: dict[str, str]) -> Iterator[None]:
    """For tests that write: the data is seeded again before the next test."""
    yield
    data_state[next(iter(database_urls.values()))] = False


@pytest.fixture
async def platform(
    database_urls: dict[str, str], auth_settings: AuthSettings, data_state: dict[str, bool]
) -> AsyncIterator[Platform]:
    """Every installed service, seeded, running in-process with its lifespan."""
    found = Platform()
    key = next(iter(database_urls.values()))
    if not data_state.get(key):
        for service in INSTALLED:
            await _reset(service, database_urls[service])
        data_state[key] = True
    async with AsyncExitStack() as stack:
        for service in INSTALLED:
            app = _service_app(service, database_urls[service], auth_settings)
            await stack.enter_async_context(app.router.lifespan_context(app))
            found.services[service] = app
        for upstream in ("programme", "evaluation"):  # funding reads the evaluation service's goal achievement
            if upstream not in found.services:
                continue
            transport = found.transport(upstream)
            attribute = f"{upstream}_client"
            for app in found.services.values():
                if hasattr(app.state, attribute):
                    old = getattr(app.state, attribute)
                    wired = httpx.AsyncClient(transport=transport, base_url=f"http://{upstream}", timeout=5.0)
                    setattr(app.state, attribute, wired)
                    stack.push_async_callback(wired.aclose)
                    await old.aclose()
        if "webhooks" in found.services:
            from webhooks.endpoint.catalogue import EventCatalogue

            hooks = found.services["webhooks"]
            sources = httpx.AsyncClient(
                mounts={f"http://{s}": found.transport(s) for s in SOURCES if s in found.services}
            )
            stack.push_async_callback(sources.aclose)
            hooks.state.catalogue = EventCatalogue(hooks.state.settings, sources)
        yield found


def gateway_app(
    platform: Platform,
    auth_settings: AuthSettings,
    *,
    down: tuple[str, ...] = (),
    urls: dict[str, str] | None = None,
    **settings: Any,
) -> FastAPI:
    """A gateway in front of the platform; services in `down` are pointed at a closed port instead."""
    urls = urls or {}
    url_settings: dict[str, Any] = {f"{s}_url": urls.get(s, CLOSED if s in down else f"http://{s}") for s in SERVICES}
    transports = {s: platform.transport(s) for s in platform.services if s not in down and s not in urls}
    settings.setdefault("docs_prefetch", False)  # only the docs tests need the services' documents
    return create_app(GatewaySettings(**url_settings, **settings), auth_settings, transports)


@pytest.fixture
async def gateway(platform: Platform, auth_settings: AuthSettings) -> AsyncIterator[FastAPI]:
    async for running in started(gateway_app(platform, auth_settings)):
        yield running


@pytest.fixture
async def client(gateway: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async for c in asgi_client(gateway, "http://gateway"):
        yield c


@pytest.fixture
def token(private_key: bytes) -> TokenFactory:
    def make(role: str, *, canton: str | None = None, partner: str | None = None, **kw: Any) -> dict[str, str]:
        partner_id: uuid.UUID | None = seed_uuid("partner", partner) if partner else None
        jwt = issue_token(private_key, role=role, canton=canton, partner_id=partner_id, **kw)
        return {"Authorization": f"Bearer {jwt}"}

    return make


@pytest.fixture
def silent_port() -> Iterator[str]:
    """A port that accepts connections and never answers: every read times out."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def needs(*services: str) -> pytest.MarkDecorator:
    """Skip a contract test until the services it needs are installed in this tree."""
    missing = [s for s in services if s not in INSTALLED]
    return pytest.mark.skipif(bool(missing), reason=f"service packages not installed: {', '.join(missing)}")
