"""The read path: reads without transaction round trips on PostgreSQL, a snapshot on SQLite; a connection the
database dropped answers 503 once and the pool recovers; a remembered token still expires on time."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import text

from kit import testing
from kit.auth import TokenVerifier, ensure_local_keypair, issue_token
from kit.db import SessionDep, create_engine, make_session_factory, read_engine, sync_url
from kit.db_problems import install_database_problem_handlers
from kit.problems import Unauthorized, install_problem_handlers


@pytest.fixture(params=testing.backends())
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_a_read_session_sees_each_statement_start_and_a_write_session_one_transaction(
    backend: str, tmp_path: Path
) -> None:
    url = testing.fresh_database(backend, "kit_read_path", tmp_path)
    engine = create_engine(url)
    now = "SELECT now()" if backend == "postgresql" else "SELECT 1"
    try:
        async with make_session_factory(read_engine(engine))() as reader:
            first = await reader.scalar(text(now))
            await asyncio.sleep(0.02)
            second = await reader.scalar(text(now))
            if backend == "postgresql":
                assert second > first, "no BEGIN: each statement is its own transaction"
            await reader.commit()
        async with make_session_factory(engine)() as writer:
            if backend == "postgresql":
                first = await writer.scalar(text(now))
                await asyncio.sleep(0.02)
                assert await writer.scalar(text(now)) == first, "a write session is one transaction"
            await writer.commit()
    finally:
        await engine.dispose()


async def test_a_read_session_on_sqlite_keeps_its_snapshot_beside_a_writer(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INTEGER)"))
    try:
        async with make_session_factory(read_engine(engine))() as reader:
            assert await reader.scalar(text("SELECT count(*) FROM t")) == 0
            async with make_session_factory(engine)() as writer:
                await writer.execute(text("INSERT INTO t VALUES (1)"))
                await writer.commit()
            assert await reader.scalar(text("SELECT count(*) FROM t")) == 0
    finally:
        await engine.dispose()


@pytest.mark.skipif("postgresql" not in testing.backends(), reason="needs KIP_TEST_POSTGRES_URL")
async def test_a_dropped_connection_answers_503_once_and_the_pool_recovers(tmp_path: Path) -> None:
    url = testing.fresh_database("postgresql", "kit_dropped", tmp_path)
    engine = create_engine(url, pool_size=2)
    app = FastAPI()
    install_problem_handlers(app)
    install_database_problem_handlers(app)
    app.state.session_factory = make_session_factory(engine)
    app.state.read_session_factory = make_session_factory(read_engine(engine))

    @app.get("/pid")
    async def pid(session: SessionDep, request: Request) -> dict[str, Any]:
        return {"pid": await session.scalar(text("SELECT pg_backend_pid()"))}

    admin = create_sync_engine(sync_url(url), isolation_level="AUTOCOMMIT")
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            first = await client.get("/pid")
            assert first.status_code == 200
            with admin.connect() as conn:
                killed = conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": first.json()["pid"]}).scalar()
            assert killed is True
            dropped = await client.get("/pid")
            assert dropped.status_code == 503, dropped.text
            assert dropped.headers["content-type"] == "application/problem+json"
            assert dropped.json()["type"].endswith("/database-unavailable")
            assert dropped.headers["retry-after"] == "1"
            again = await client.get("/pid")
            assert again.status_code == 200
            assert again.json()["pid"] != first.json()["pid"]
    finally:
        admin.dispose()
        await engine.dispose()


def test_a_remembered_token_still_expires_on_time(tmp_path: Path) -> None:
    from kit.settings import AuthSettings

    private, public = ensure_local_keypair(tmp_path / "keys")
    verifier = TokenVerifier(AuthSettings(local_key_dir=tmp_path / "keys", leeway_seconds=0), public)
    token = issue_token(private, role="sem", lifetime=dt.timedelta(seconds=2))
    assert verifier.verify(token).is_sem
    assert verifier.verify(token).is_sem, "remembered"
    time.sleep(2.5)
    with pytest.raises(Unauthorized, match="expired"):
        verifier.verify(token)


def test_a_refused_token_is_not_remembered(tmp_path: Path) -> None:
    from kit.settings import AuthSettings

    private, public = ensure_local_keypair(tmp_path / "keys")
    verifier = TokenVerifier(AuthSettings(local_key_dir=tmp_path / "keys"), public)
    wrong_audience = issue_token(private, role="sem", audience="other")
    for _ in range(2):
        with pytest.raises(Unauthorized):
            verifier.verify(wrong_audience)


@pytest.mark.skipif("postgresql" not in testing.backends(), reason="needs KIP_TEST_POSTGRES_URL")
@pytest.mark.parametrize("mode", ["disable", "prefer"])
async def test_libpq_sslmode_in_the_url_reaches_the_async_driver(mode: str, tmp_path: Path) -> None:
    url = testing.fresh_database("postgresql", "kit_sslmode", tmp_path)
    engine = create_engine(f"{url}?sslmode={mode}")
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT 1")) == 1
    finally:
        await engine.dispose()
