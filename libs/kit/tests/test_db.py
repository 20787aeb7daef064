"""SQLite sessions: a read-only request reads beside a writer; writers queue in arrival order, never deadlock."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from kit.db import SessionDep, create_engine, make_session_factory, write_queue


async def test_a_read_only_transaction_does_not_block_a_writer(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    factory = make_session_factory(engine)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INTEGER)"))
    try:
        async with factory() as reader:
            await reader.connection(execution_options={"read_only": True})
            assert (await reader.scalar(text("SELECT count(*) FROM t"))) == 0

            async def write() -> None:
                async with factory() as writer:
                    await writer.execute(text("INSERT INTO t VALUES (1)"))
                    await writer.commit()

            await asyncio.wait_for(write(), timeout=5)
            assert (await reader.scalar(text("SELECT count(*) FROM t"))) == 0, "the reader keeps its snapshot"
        async with factory() as later:
            assert (await later.scalar(text("SELECT count(*) FROM t"))) == 1
    finally:
        await engine.dispose()


async def test_two_writers_queue_rather_than_fail(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    factory = make_session_factory(engine)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE c (n INTEGER)"))
        await conn.execute(text("INSERT INTO c VALUES (0)"))

    async def increment() -> None:
        async with factory() as session:
            value = await session.scalar(text("SELECT n FROM c"))
            await asyncio.sleep(0.01)
            await session.execute(text("UPDATE c SET n = :n"), {"n": value + 1})
            await session.commit()

    try:
        await asyncio.gather(*(increment() for _ in range(20)))
        async with factory() as session:
            assert await session.scalar(text("SELECT n FROM c")) == 20, "no lost update"
    finally:
        await engine.dispose()


async def _writes_in_order(tmp_path: Path, queued: bool) -> list[int]:
    """30 write requests, sent 2 ms apart, each holding its transaction across a few turns of the event loop;
    the order they committed in."""
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE arrivals (seq INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER)"))
    app = FastAPI()
    app.state.session_factory = make_session_factory(engine)
    app.state.sqlite_write_queue = write_queue(engine) if queued else None

    @app.post("/arrivals/{n}")
    async def arrive(n: int, session: SessionDep) -> None:
        await session.execute(text("INSERT INTO arrivals (n) VALUES (:n)"), {"n": n})
        for _ in range(3):
            await asyncio.sleep(0.005)
            await session.execute(text("SELECT count(*) FROM arrivals"))

    async def send(client: httpx.AsyncClient, n: int) -> None:
        await asyncio.sleep(0.002 * n)
        assert (await client.post(f"/arrivals/{n}")).status_code == 200

    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            await asyncio.gather(*(send(client, n) for n in range(30)))
        async with engine.connect() as conn:
            return list((await conn.scalars(text("SELECT n FROM arrivals ORDER BY seq"))).all())
    finally:
        await engine.dispose()


async def test_a_process_writes_in_arrival_order_on_sqlite(tmp_path: Path) -> None:
    assert await _writes_in_order(tmp_path, queued=True) == list(range(30))
