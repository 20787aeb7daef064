"""The real programme service as the upstream of another service's tests (funding and evaluation read it): its
own database, migrated and seeded with Basel-Landschaft once per backend, and its app with its lifespan, reached
in-process through `httpx.ASGITransport`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kit import testing
from kit.pytest_plugin import asgi_client, built_once, catch_up, started
from kit.settings import AuthSettings


def programme_upstream(database_name: str) -> tuple[Any, Any]:
    """Two fixtures for a conftest: `programme_database_url` (session; the seeded database's URL, read only) and
    `programme_app`. Assign them there: `programme_database_url, programme_app = programme_upstream("x_programme")`."""

    @pytest.fixture(scope="session", name="programme_database_url")
    def database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
        from programme.cli import seed_database

        url = testing.migrated_database(backend, database_name, "programme", tmp_path_factory.mktemp("pdb"))
        asyncio.run(seed_database(url))
        return url

    @pytest.fixture(name="programme_app")
    async def app(programme_database_url: str, key_dir: Path) -> AsyncIterator[FastAPI]:
        from programme.main import create_app
        from programme.settings import ProgrammeSettings

        application = built_once(
            ("programme", programme_database_url, key_dir),
            lambda: create_app(
                ProgrammeSettings(database_url=programme_database_url), AuthSettings(local_key_dir=key_dir)
            ),
        )
        async for running in started(application):
            yield running

    return database, app


def evaluation_app(database_url: str, key_dir: Path, programme_app: FastAPI) -> FastAPI:
    """The evaluation service's app on `database_url`, reading the programme app in-process (not yet started; made
    once per run for these, `kit.pytest_plugin.built_once`)."""
    from evaluation.main import create_app
    from evaluation.settings import EvaluationSettings

    return built_once(
        ("evaluation", database_url, key_dir, id(programme_app)),
        lambda: create_app(
            EvaluationSettings(database_url=database_url, programme_url="http://programme"),
            AuthSettings(local_key_dir=key_dir),
            programme_transport=httpx.ASGITransport(app=programme_app),
        ),
    )


async def programme_follower(
    service: str, projection: Any, app: FastAPI, programme_app: FastAPI, key_dir: Path
) -> AsyncIterator[Any]:
    """A service's consumer of the programme service's events (`kit.consumer.EventConsumer` with the service's
    `projection`, on the service app's database), reading the programme app in-process, caught up:
    `async for follower in programme_follower("funding", PROJECTION, app, programme_app, key_dir): yield follower`."""
    from kit.consumer import EventConsumer
    from kit.service_token import ServiceCredential

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=programme_app), base_url="http://programme") as c:
        consumer = EventConsumer(
            service,
            projection,
            app.state.session_factory,
            c,
            ServiceCredential(service, AuthSettings(local_key_dir=key_dir)),
            write_queue=app.state.sqlite_write_queue,
        )
        await consumer.bootstrap()
        await catch_up(consumer)
        yield consumer


def following_fixtures(service: str, projection: Any) -> tuple[Any, Any]:
    """Two fixtures for a suite's tests of how its service follows the programme service's events: `programme` (a
    client of the programme app) and `follower` (the service's consumer with `projection`, caught up). Assign them in
    the test module: `programme, follower = following_fixtures("funding", PROJECTION)`."""

    @pytest.fixture(name="programme")
    async def programme(programme_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
        async for client in asgi_client(programme_app, "http://programme"):
            yield client

    @pytest.fixture(name="follower")
    async def follower(app: FastAPI, programme_app: FastAPI, key_dir: Path) -> AsyncIterator[Any]:
        async for consumer in programme_follower(service, projection, app, programme_app, key_dir):
            yield consumer

    return programme, follower
