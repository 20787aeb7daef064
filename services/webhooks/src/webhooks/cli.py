"""Service chores without HTTP: `kip-webhooks migrate` (also used by `kip`); it has no seed data."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kit.chores import ServiceChores
from webhooks.audit import AuditRecord, audit_scope
from webhooks.settings import WebhooksSettings


async def seed(session: AsyncSession) -> int:
    """Endpoints are registered by their owners; there is nothing to seed."""
    return 0


chores = ServiceChores("webhooks", WebhooksSettings, seed, AuditRecord, audit_scope)
migrate = chores.migrate
seed_database = chores.seed_database
main = chores.main

if __name__ == "__main__":
    main()
