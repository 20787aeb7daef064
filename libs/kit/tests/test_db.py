"""SQLite sessions: a read-only request reads beside a writer; writers queue instead of deadlocking."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from kit.db import create_engine, make_session_factory


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
