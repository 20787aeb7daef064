"""Positions are commit-ordered: a transaction that took a position holds every later writer until it commits, so
the feed never serves a higher position while a lower one may still commit (which would be skipped for good)."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import func, select

from kit.db import create_engine, make_session_factory, read_engine
from kit.events import _write_events
from programme.events import CATALOGUE, Event
from programme.partner.models import Partner


def partner() -> Partner:
    slug = f"ord-{uuid.uuid4().hex[:8]}"
    return Partner(canton="BL", slug=slug, name=slug, short_name=slug, kind="association")


async def test_a_later_writer_waits_and_the_feed_never_skips_a_late_commit(events_databases: dict[str, str]) -> None:
    engine = create_engine(events_databases["programme"])
    sessions = make_session_factory(engine)
    reads = make_session_factory(read_engine(engine))

    async def positions_after(start: int) -> list[int]:
        async with reads() as session:
            rows = await session.execute(select(Event.position).where(Event.position > start).order_by(Event.position))
            return list(rows.scalars())

    try:
        async with reads() as session:
            start = int(await session.scalar(select(func.coalesce(func.max(Event.position), 0))) or 0)
        first = sessions()
        CATALOGUE.attach(first.sync_session)
        first_partner = partner()
        first.add(first_partner)
        await first.flush()
        await first.run_sync(_write_events)  # the first has its position now, and has not committed

        async def second_writer() -> None:
            async with sessions() as second:
                CATALOGUE.attach(second.sync_session)
                second.add(partner())
                await second.commit()

        second = asyncio.create_task(second_writer())
        await asyncio.sleep(0.6)
        assert not second.done(), "a second writer took a position while the first was in flight"
        assert await positions_after(start) == [], "the feed served a position before an earlier one committed"

        await first.commit()
        await first.close()
        await asyncio.wait_for(second, 30)
        async with reads() as session:
            rows = (await session.execute(select(Event).where(Event.position > start).order_by(Event.position))).all()
        events = [r[0] for r in rows]
        assert [e.position for e in events] == [start + 1, start + 2]
        assert events[0].data["id"] == str(first_partner.id), "positions follow commit order"
    finally:
        await engine.dispose()
