"""The session of a request: one session and one transaction per request, committed before the response is sent.

A request that may write (POST, PUT, PATCH, DELETE) runs in one transaction, queued behind the other writes of
the process on SQLite (`kit.db.write_queue`); the audit trail (`kit.audit`) and the outbox (`kit.events`) are
attached to it, so a change, its audit record and its event commit together. A read (GET, HEAD, OPTIONS) takes the
read path of `kit.db.read_engine`. This floor sits above `kit.db` and `kit.audit`; neither imports it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Annotated

from asgi_correlation_id import correlation_id
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kit.audit import attach

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request. A write runs in one transaction, committed after the handler returns and before
    the response is sent, rolled back on any error so nothing is half-written; a read takes the read path (see the
    module's description). The connection is taken from the pool at the first statement, not before."""
    state = request.app.state
    safe = request.method in SAFE_METHODS
    factory: async_sessionmaker[AsyncSession] = state.session_factory
    read_factory: async_sessionmaker[AsyncSession] | None = getattr(state, "read_session_factory", None)
    write_queue: asyncio.Lock | None = None if safe else getattr(state, "sqlite_write_queue", None)
    async with write_queue or contextlib.nullcontext():
        session = (read_factory if safe and read_factory is not None else factory)()
        try:
            audit = getattr(state, "audit", None)
            if audit is not None:
                attach(session.sync_session, *audit)
            events = None if safe else getattr(state, "events", None)
            if events is not None:  # domain events into the outbox, in the same transaction (kit.events)
                events.attach(session.sync_session, state.event_wakeup.notify)
            try:
                yield session
                if safe and _untouched(session):
                    return  # nothing was begun or changed (a read through `kit.row_read`): nothing to commit
                principal = getattr(request.state, "principal", None)
                if principal is not None:
                    session.info["actor"] = (principal.subject, str(principal.role))
                session.info["request_id"] = correlation_id.get()
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
        finally:
            if not _untouched(session):  # a session that holds nothing has nothing to close
                await session.__aexit__(None, None, None)


def _untouched(session: AsyncSession) -> bool:
    """Whether a session began no transaction and holds no object."""
    return not (session.in_transaction() or session.identity_map or session.new or session.dirty or session.deleted)


SessionDep = Annotated[AsyncSession, Depends(_request_session, scope="function")]
