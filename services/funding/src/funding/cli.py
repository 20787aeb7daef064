"""Service chores without HTTP: `kip-funding migrate` and `kip-funding seed` (also used by `kip`)."""

from __future__ import annotations

from funding.audit import AuditRecord, audit_scope
from funding.seed import seed
from funding.settings import FundingSettings
from kit.chores import ServiceChores

chores = ServiceChores("funding", FundingSettings, seed, AuditRecord, audit_scope)
migrate = chores.migrate
seed_database = chores.seed_database
main = chores.main

if __name__ == "__main__":
    main()
