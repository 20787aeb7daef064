"""The funding service's audit trail table, and which canton and partner each change concerns."""

from __future__ import annotations

from funding.agreement.models import Agreement, AgreementVersion
from funding.budget.models import BudgetLine
from funding.credit.models import Credit
from funding.database import Base
from funding.funding_programme.models import FundingProgramme
from kit.audit import AuditRecordMixin, scope_via


class AuditRecord(AuditRecordMixin, Base):
    pass


audit_scope = scope_via(
    {
        "programme_id": FundingProgramme,
        "agreement_id": Agreement,
        "version_id": AgreementVersion,
        "budget_line_id": BudgetLine,
        "credit_id": Credit,
    }
)
