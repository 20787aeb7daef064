"""`kit.row_read`: a hot read's rows are the same, value for value and type for type, whichever path runs them; on
PostgreSQL's read path they come without a session transaction, and a connection the database dropped costs the
read nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, Column, Date, MetaData, String, Table, bindparam, select, text
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.types import Uuid

from kit import testing
from kit.db import create_engine, make_session_factory, read_engine, sync_url
from kit.db_types import RappenType, UtcDateTime
from kit.row_read import RowRead

metadata = MetaData()
thing = Table(
    "thing",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("title", String(100)),
    Column("amount", RappenType()),
    Column("tags", JSON),
    Column("starts", Date, nullable=True),
    Column("at", UtcDateTime()),
)
part = Table("part", metadata, Column("thing_id", Uuid), Column("n", String(10)))
READ = RowRead(
    select(thing, part.c.n.label("part_n"))
    .outerjoin(part, part.c.thing_id == thing.c.id)
    .where(thing.c.id == bindparam("thing_id"))
    .order_by(part.c.n)
)
ONE, BARE = uuid.uuid4(), uuid.uuid4()


@pytest.fixture(params=testing.backends())
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def _database(backend: str, tmp_path: Path) -> str:
    url = testing.fresh_database(backend, "kit_row_read", tmp_path)
    engine = create_engine(url)
    at = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            await conn.execute(
                thing.insert(),
                [
                    {
                        "id": ONE,
                        "title": "Kurs «Deutsch»",
                        "amount": Decimal("12.35"),
                        "tags": ["a", "ü"],
                        "starts": dt.date(2025, 1, 1),
                        "at": at,
                    },
                    {"id": BARE, "title": "leer", "amount": Decimal("0.00"), "tags": [], "starts": None, "at": at},
                ],
            )
            await conn.execute(part.insert(), [{"thing_id": ONE, "n": "b"}, {"thing_id": ONE, "n": "a"}])
    finally:
        await engine.dispose()
    return url


def _typed(rows: Any) -> list[dict[str, tuple[type, Any]]]:
    return [{k: (type(v) if not isinstance(v, uuid.UUID) else uuid.UUID, v) for k, v in row.items()} for row in rows]


async def test_the_rows_are_those_the_session_gives(backend: str, tmp_path: Path) -> None:
    url = await _database(backend, tmp_path)
    engine = create_engine(url)
    try:
        for thing_id, count in ((ONE, 2), (BARE, 1), (uuid.uuid4(), 0)):
            async with make_session_factory(read_engine(engine))() as session:
                fast = await READ.rows(session, {"thing_id": thing_id})
                assert not session.in_transaction() or backend == "sqlite"
                plain = (await session.execute(READ.statement, {"thing_id": thing_id})).mappings().all()
            assert len(fast) == count
            assert _typed(fast) == _typed(plain)
        async with make_session_factory(read_engine(engine))() as session:
            rows = await READ.rows(session, {"thing_id": ONE})
        assert [r["part_n"] for r in rows] == ["a", "b"]
        assert rows[0]["amount"] == Decimal("12.35") and rows[0]["tags"] == ["a", "ü"]
        assert rows[0]["at"] == dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)
        async with make_session_factory(engine)() as writer:  # a write session: its own transaction, as before
            assert len(await READ.rows(writer, {"thing_id": ONE})) == 2
            assert writer.in_transaction()
    finally:
        await engine.dispose()


@pytest.mark.skipif("postgresql" not in testing.backends(), reason="needs KIP_TEST_POSTGRES_URL")
async def test_a_dropped_connection_leaves_the_pool_and_the_read_still_answers(tmp_path: Path) -> None:
    url = await _database("postgresql", tmp_path)
    engine = create_engine(url, pool_size=1)
    admin = create_sync_engine(sync_url(url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        async with make_session_factory(read_engine(engine))() as session:
            assert len(await READ.rows(session, {"thing_id": ONE})) == 2
        with admin.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar() is True
        async with make_session_factory(read_engine(engine))() as session:
            assert len(await READ.rows(session, {"thing_id": ONE})) == 2
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT pg_backend_pid()")) != pid
    finally:
        admin.dispose()
        await engine.dispose()
