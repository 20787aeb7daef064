"""Service chores without HTTP: `kip-evaluation migrate` and `kip-evaluation seed` (also used by `kip`)."""

from __future__ import annotations

from evaluation.audit import AuditRecord, audit_scope
from evaluation.seed import seed
from evaluation.settings import EvaluationSettings
from kit.chores import ServiceChores

chores = ServiceChores("evaluation", EvaluationSettings, seed, AuditRecord, audit_scope)
migrate = chores.migrate
seed_database = chores.seed_database
main = chores.main

if __name__ == "__main__":
    main()
