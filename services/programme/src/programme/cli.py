"""Service chores without HTTP: `kip-programme migrate` and `kip-programme seed` (also used by `kip`)."""

from __future__ import annotations

import asyncio
import sys

from kit import migrations
from kit.audit import attach
from kit.db import create_engine, make_session_factory
from programme.audit import AuditRecord, audit_scope
from programme.seed import seed
from programme.settings import ProgrammeSettings


def migrate(database_url: str) -> None:
    migrations.upgrade("programme", database_url)


async def seed_database(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with make_session_factory(engine)() as session, session.begin():
            attach(session.sync_session, AuditRecord, audit_scope)
            session.info["actor"] = ("kip seed", "system")
            return await seed(session)
    finally:
        await engine.dispose()


def main() -> None:
    settings = ProgrammeSettings()
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "migrate":
        migrate(settings.database_url)
    elif command == "seed":
        print(f"programme: {asyncio.run(seed_database(settings.database_url))} records added")
    else:
        sys.exit("usage: kip-programme {migrate|seed}")


if __name__ == "__main__":
    main()
