"""The evaluation service's audit trail table, and which canton and partner each change concerns."""

from __future__ import annotations

from evaluation.database import Base
from evaluation.evaluation.models import Evaluation
from evaluation.indicator.models import Indicator
from evaluation.recommendation.models import Recommendation
from evaluation.reference import ProgrammeRef
from kit.audit import AuditRecordMixin, scope_via


class AuditRecord(AuditRecordMixin, Base):
    pass


audit_scope = scope_via(
    {
        "programme_id": ProgrammeRef,
        "evaluation_id": Evaluation,
        "recommendation_id": Recommendation,
        "indicator_id": Indicator,
    }
)
