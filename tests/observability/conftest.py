"""Fixtures for the observability tests: the real programme app on a migrated database, tokens, captured logs."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kit import testing
from kit.auth import ensure_local_keypair, issue_token
from kit.observability import ACCESS_LOGGER, json_formatter
from kit.settings import AuthSettings
from programme.main import create_app
from programme.settings import ProgrammeSettings


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="session", params=testing.backends())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    return testing.migrated_database(request.param, "obs_programme", "programme", tmp_path_factory.mktemp("db"))


@pytest.fixture
async def app(database_url: str, key_dir: Path) -> AsyncIterator[FastAPI]:
    application = create_app(ProgrammeSettings(database_url=database_url), AuthSettings(local_key_dir=key_dir))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://programme") as c:
        yield c


@pytest.fixture
def bearer(key_dir: Path) -> Any:
    private_pem = ensure_local_keypair(key_dir)[0]

    def make(role: str, *, canton: str | None = None, partner_id: uuid.UUID | None = None) -> str:
        return issue_token(private_pem, role=role, canton=canton, partner_id=partner_id)

    return make


@pytest.fixture
def access_lines() -> Iterator[io.StringIO]:
    """What the access logger writes, formatted exactly as in production, one JSON object per line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    logger = logging.getLogger(ACCESS_LOGGER)
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
