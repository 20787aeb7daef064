"""Invalidating an aiosqlite connection whose worker thread was already stopped ends at once instead of waiting
forever for a close nobody will perform (`kit.sqlite_close`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from kit.db import create_engine


async def test_invalidating_a_connection_whose_worker_stopped_does_not_hang(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        async with engine.connect() as conn:
            assert (await conn.scalar(text("SELECT 1"))) == 1
            raw = await conn.get_raw_connection()
            worker = raw.driver_connection  # the aiosqlite connection
            assert worker is not None
            # The worker is told to stop (as an earlier forced close or the connection's __del__ would do) and
            # SQLAlchemy invalidates the connection before the worker got to it: its graceful close, shielded from
            # cancellation, queues work behind the worker's last job. Unbounded, it waits for it forever, and so
            # does any event loop shutting down.
            worker.stop()
            await asyncio.wait_for(conn.invalidate(), 10)
            worker._thread.join(5)
            assert not worker._thread.is_alive()
        async with engine.connect() as conn:  # the pool goes on with a new connection
            assert (await conn.scalar(text("SELECT 2"))) == 2
    finally:
        await engine.dispose()
    assert not [t for t in asyncio.all_tasks() if "graceful_close" in repr(t) and not t.done()]
