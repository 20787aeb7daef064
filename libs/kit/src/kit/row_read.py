"""A read by id with as little between the request and the database as its rows need.

`RowRead(statement)` is a Core `SELECT` built once; `await read.rows(session, params)` returns its rows as
mappings, exactly as `(await session.execute(statement, params)).mappings().all()` would. On the read path of
PostgreSQL (asyncpg, autocommit: `kit.db.read_engine`) the statement runs on a connection taken from the engine's
pool through the driver's prepared statement, the one SQLAlchemy itself keeps per connection, and every column's
value passes through its type's result processor: no session transaction, connection wrapper, execution context or
result object is built for it. Anywhere else (SQLite, a session in a transaction, SQL echo on) and whenever the
driver raises, the statement runs through the session as before, so errors surface as SQLAlchemy's (a database
that does not answer is a 503, `kit.db_problems`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.util import greenlet_spawn

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Plan:
    """The statement compiled for asyncpg: its SQL, its parameters in order with their bind processors, and the
    keys and types of its result columns."""

    sql: str
    params: tuple[tuple[str, Processor], ...]
    keys: tuple[str, ...]
    types: tuple[Any, ...]


class RowRead:
    """One `SELECT` of a hot read (see the module's description)."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._plan: _Plan | None = None
        #: Result processors by the column types' OIDs the server reported (the same for every connection).
        self._processors: dict[tuple[int, ...], tuple[Processor, ...]] = {}

    async def rows(self, session: AsyncSession, params: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
        bind = session.bind
        if isinstance(bind, AsyncEngine) and _fast(bind) and not session.in_transaction():
            rows = await self._asyncpg_rows(bind, params)
            if rows is not None:
                return rows
        result = await session.execute(self.statement, dict(params))
        return [dict(row) for row in result.mappings()]

    def _compiled(self, dialect: Dialect) -> _Plan:
        if self._plan is None:
            compiled: Any = self.statement.compile(dialect=dialect)
            binds = compiled._bind_processors
            self._plan = _Plan(
                sql=compiled.string,
                params=tuple((name, binds.get(name)) for name in compiled.positiontup or ()),
                keys=tuple(entry.keyname for entry in compiled._result_columns),
                types=tuple(entry.type for entry in compiled._result_columns),
            )
        return self._plan

    async def _asyncpg_rows(self, engine: AsyncEngine, params: Mapping[str, Any]) -> list[dict[str, Any]] | None:
        """The rows through the driver, or None when the driver raised (the caller then asks the session)."""
        dialect = engine.dialect
        plan = self._compiled(dialect)
        values = [process(params[name]) if process else params[name] for name, process in plan.params]
        pooled = await engine.raw_connection()
        adapter: Any = pooled.dbapi_connection
        try:
            stale_before = getattr(dialect, "_invalidate_schema_cache_asof", 0)
            statement, attributes = await adapter._prepare(plan.sql, stale_before)
            records = await statement.fetch(*values)
        except Exception:  # the session's path raises it as SQLAlchemy would, or succeeds anew
            if adapter is None or adapter._connection.is_closed():  # a lost connection leaves the pool
                await greenlet_spawn(pooled.invalidate)
            await greenlet_spawn(pooled.close)
            return None
        except BaseException:  # cancelled mid-statement: the connection's state is unknown, it leaves the pool
            await asyncio.shield(greenlet_spawn(_discard, pooled))
            raise
        await greenlet_spawn(pooled.close)  # back to the pool (closing may await the driver: in a greenlet)
        oids = tuple(a.type.oid for a in attributes)
        processors = self._processors.get(oids)
        if processors is None:
            processors = tuple(
                t._cached_result_processor(dialect, oid) for t, oid in zip(plan.types, oids, strict=True)
            )
            self._processors[oids] = processors
        columns = tuple(zip(plan.keys, processors, strict=True))
        return [
            {key: (process(value) if process else value) for (key, process), value in zip(columns, record, strict=True)}
            for record in records
        ]


def _discard(pooled: Any) -> None:
    pooled.invalidate()
    pooled.close()


def _fast(engine: AsyncEngine) -> bool:
    return (
        engine.dialect.driver == "asyncpg"
        and engine.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
        and not engine.echo
    )
