"""The fixtures every service's suite shares, as a pytest plugin (registered through kit's `pytest11` entry point,
so each suite has them without importing anything): the local signing key, the database backends and tokens.

A suite's own `conftest.py` builds its app on top of these; a fixture of the same name there takes precedence.
The backends are SQLite always and PostgreSQL too when `KIP_TEST_POSTGRES_URL` is set (`kit.testing`).
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kit import testing
from kit.auth import ensure_local_keypair, issue_token
from kit.settings import AuthSettings

#: `token(role, canton=..., partner_id=..., subject=...)`: the `Authorization` header of a signed token.
TokenFactory = Callable[..., dict[str, str]]


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the local signing key pair of the run lives (every app of a test verifies with it)."""
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="session")
def private_key(key_dir: Path) -> bytes:
    return ensure_local_keypair(key_dir)[0]


@pytest.fixture(scope="session", params=testing.backends())
def backend(request: pytest.FixtureRequest) -> str:
    """`sqlite`, and `postgresql` when a server is configured: every database fixture runs on each."""
    return str(request.param)


@pytest.fixture
def token(private_key: bytes) -> TokenFactory:
    def make(
        role: str, *, canton: str | None = None, partner_id: uuid.UUID | str | None = None, **claims: Any
    ) -> dict[str, str]:
        raw = issue_token(private_key, role=role, canton=canton, partner_id=partner_id, **claims)
        return {"Authorization": "Bearer " + raw}

    return make


async def started(application: FastAPI) -> AsyncIterator[FastAPI]:
    """Run an app's lifespan around a test: `async for app in started(create_app(...)): yield app`."""
    async with application.router.lifespan_context(application):
        yield application


_BUILT: dict[tuple[object, ...], tuple[FastAPI, dict[str, Any]]] = {}


def built_once(key: tuple[object, ...], build: Callable[[], FastAPI]) -> FastAPI:
    """The app `build` makes, made once per `key` in a test run; each test starts it anew (its lifespan: engine,
    clients, relays) with `started`. FastAPI prepares each route of an app when the app first meets a request
    (its dependencies, its parameters, its response model), and an app made for every test paid that in every
    test again. The key names all the app is made from (the service, its database URL, the key directory, the
    upstream apps it reaches in-process).

    Each call gives the app back as it was made: its `state` (a test may have set a clock there) and its
    dependency overrides as `build` left them."""
    found = _BUILT.get(key)
    if found is None:
        app = build()
        _BUILT[key] = (app, dict(app.state._state))
        return app
    app, made = found
    app.state._state.clear()
    app.state._state.update(made)
    app.dependency_overrides.clear()
    return app


async def asgi_client(application: FastAPI, base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client that reaches an app in-process: `async for client in asgi_client(app, "http://programme"): ...`."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url=base_url) as client:
        yield client


def service_fixtures(service: str, *, database: str | None = None, reset: bool = True) -> tuple[Any, Any, Any]:
    """The three fixtures of a service's own suite, for its conftest:
    `database_url, app, client = service_fixtures("programme")`.

    `database_url` (session): the service's database, built by its migrations once per backend (named `database`,
    default the service's name). `app`: the service's app (`<service>.main.create_app` with its settings class
    `<service>.settings.<Service>Settings`) with its lifespan, every table emptied first unless `reset` is False.
    `client`: an `httpx.AsyncClient` reaching it in-process at `http://<service>`."""

    @pytest.fixture(name="app")
    async def app(database_url: str, key_dir: Path) -> AsyncIterator[FastAPI]:
        if reset:
            await testing.reset(database_url, importlib.import_module(f"{service}.models").Base.metadata)
        settings = getattr(importlib.import_module(f"{service}.settings"), f"{service.capitalize()}Settings")
        create_app = importlib.import_module(f"{service}.main").create_app
        application = built_once(
            (service, database_url, key_dir),
            lambda: create_app(settings(database_url=database_url), AuthSettings(local_key_dir=key_dir)),
        )
        async for running in started(application):
            yield running

    return database_fixture(service, database=database), app, client_fixture(service)


def database_fixture(service: str, *, database: str | None = None, name: str = "database_url") -> Any:
    """The `database_url` fixture (session) of a service's suite: `database_url = database_fixture("webhooks")`, the
    service's database built by its migrations once per backend (named `database`, default the service's name).
    A suite that needs another service's database too names its fixture: `database_fixture("evaluation",
    database="funding_evaluation", name="evaluation_database")`."""

    @pytest.fixture(scope="session", name=name)
    def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
        return testing.migrated_database(backend, database or service, service, tmp_path_factory.mktemp("db"))

    return database_url


def client_fixture(service: str) -> Any:
    """The `client` fixture of a suite whose `app` fixture is the service's app: `client = client_fixture("funding")`
    (an `httpx.AsyncClient` reaching it in-process at `http://<service>`)."""

    @pytest.fixture(name="client")
    async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
        async for running in asgi_client(app, f"http://{service}"):
            yield running

    return client


async def catch_up(follower: Any) -> None:
    """Apply every event a follower has not applied yet."""
    while await follower.poll_once(wait=0):
        pass


async def patch_current(client: httpx.AsyncClient, headers: dict[str, str], path: str, body: dict[str, Any]) -> None:
    """Change a resource as a careful client does: read its ETag, then PATCH with `If-Match`; the change must hold."""
    current = await client.get(path, headers=headers)
    r = await client.patch(path, headers=headers | {"If-Match": current.headers["etag"]}, json=body)
    assert r.status_code == 200, r.text
