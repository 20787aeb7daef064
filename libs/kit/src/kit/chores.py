"""A service's chores without HTTP (migrate, seed), the same for every service: each `<service>/cli.py` names its
package, settings, seed function and audit table, and the `kip` command calls `migrate(url)` and
`seed_database(url)` on it."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kit import migrations
from kit.audit import ScopeFn, attach
from kit.db import create_engine, make_session_factory
from kit.settings import ServiceSettings

SeedFn = Callable[[AsyncSession], Awaitable[int]]


@dataclass(frozen=True)
class ServiceChores:
    package: str
    settings: Callable[[], ServiceSettings]
    seed: SeedFn
    audit_model: type[Any]
    audit_scope: ScopeFn

    def migrate(self, database_url: str) -> None:
        migrations.upgrade(self.package, database_url)

    async def seed_database(self, database_url: str) -> int:
        """Load the seed in one transaction, on the audit trail as `kip seed`; returns the records added."""
        engine = create_engine(database_url)
        try:
            async with make_session_factory(engine)() as session, session.begin():
                attach(session.sync_session, self.audit_model, self.audit_scope)
                session.info["actor"] = ("kip seed", "system")
                return await self.seed(session)
        finally:
            await engine.dispose()

    def main(self) -> None:
        """`kip-<service> migrate|seed` on the database of the service's settings."""
        url = self.settings().database_url
        command = sys.argv[1] if len(sys.argv) > 1 else ""
        if command == "migrate":
            self.migrate(url)
        elif command == "seed":
            print(f"{self.package}: {asyncio.run(self.seed_database(url))} records added")
        else:
            sys.exit(f"usage: kip-{self.package} {{migrate|seed}}")
