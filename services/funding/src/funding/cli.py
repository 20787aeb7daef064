"""Service chores without HTTP: `kip-funding migrate` and `kip-funding seed` (also used by `kip`)."""

from __future__ import annotations

import asyncio
import sys

from funding.audit import AuditRecord, audit_scope
from funding.seed import seed
from funding.settings import FundingSettings
from kit import migrations
from kit.audit import attach
from kit.db import create_engine, make_session_factory


def migrate(database_url: str) -> None:
    migrations.upgrade("funding", database_url)


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
    settings = FundingSettings()
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "migrate":
        migrate(settings.database_url)
    elif command == "seed":
        print(f"funding: {asyncio.run(seed_database(settings.database_url))} records added")
    else:
        sys.exit("usage: kip-funding {migrate|seed}")


if __name__ == "__main__":
    main()
