"""Service chores without HTTP: `kip-programme migrate` and `kip-programme seed` (also used by `kip`)."""

from __future__ import annotations

from kit.chores import ServiceChores
from programme.audit import AuditRecord, audit_scope
from programme.seed import seed
from programme.settings import ProgrammeSettings

chores = ServiceChores("programme", ProgrammeSettings, seed, AuditRecord, audit_scope)
migrate = chores.migrate
seed_database = chores.seed_database
main = chores.main

if __name__ == "__main__":
    main()
