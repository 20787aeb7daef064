"""A graceful close of an aiosqlite connection that cannot wait forever.

When SQLAlchemy invalidates an aiosqlite connection (a task cancelled while it held one, a connection found
broken), it first tries a graceful close, shielded from cancellation, and only then a forced one. aiosqlite 0.22
runs each connection on a worker thread; once that thread has been told to stop (by an earlier forced close, or by
the connection's `__del__`), its `close()` queues work nobody will do and waits for it forever. The shielded wait then
never ends: a server's event loop cannot shut down, and neither can a test's (seen as a `make test` run that hung in
a fixture's teardown; the same deadlock is reported against other projects using SQLAlchemy with aiosqlite).

`install()` makes the graceful close skip a connection whose worker was already stopped and give up after
`CLOSE_SECONDS`, so SQLAlchemy goes on to the forced close (`stop()`), which never waits.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.dialects.sqlite import aiosqlite

#: Time a graceful close may take before SQLAlchemy's forced close takes over (a local file closes in well under).
CLOSE_SECONDS = 5.0

_installed = False


async def bounded_graceful_close(adapter: Any) -> None:
    """`AsyncAdapt_aiosqlite_connection._terminate_graceful_close`, bounded (see the module)."""
    connection = adapter._connection
    if not getattr(connection, "_running", True):
        return  # its worker thread was told to stop: nothing would ever answer a close
    await asyncio.wait_for(connection.close(), CLOSE_SECONDS)


def install() -> None:
    """Put the bounded close in place of SQLAlchemy's; idempotent."""
    global _installed
    if not _installed:
        aiosqlite.AsyncAdapt_aiosqlite_connection._terminate_graceful_close = bounded_graceful_close  # type: ignore[method-assign,assignment]
        _installed = True
