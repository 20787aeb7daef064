"""The fixtures every service's suite shares, as a pytest plugin (registered through kit's `pytest11` entry point,
so each suite has them without importing anything): the local signing key, the database backends and tokens.

A suite's own `conftest.py` builds its app on top of these; a fixture of the same name there takes precedence.
The backends are SQLite always and PostgreSQL too when `KIP_TEST_POSTGRES_URL` is set (`kit.testing`).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from kit import testing
from kit.auth import ensure_local_keypair, issue_token

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
