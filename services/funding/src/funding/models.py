"""Every table of the funding service, imported in one place for the migrations and the tests."""

from funding.agreement.models import Agreement, AgreementLine, AgreementVersion
from funding.allocation.models import FederalAllocation, FederalAllocationYear
from funding.audit import AuditRecord
from funding.budget.models import BudgetLine, BudgetRevision
from funding.credit.models import Credit, CreditSource
from funding.database import Base
from funding.disbursement.models import Disbursement, DisbursementLine
from funding.events import Event, EventRelay
from funding.funding_programme.models import FundingProgramme
from funding.programme_fact.models import ConsumedCursor, ConsumedEvent, ProgrammeMeasure, ProgrammePartner
from funding.settlement.models import SettlementDecision, SettlementDecisionEvent
from funding.spending.models import ActualSpending, FederalPayment

__all__ = [
    "ActualSpending",
    "Agreement",
    "AgreementLine",
    "AgreementVersion",
    "AuditRecord",
    "Base",
    "BudgetLine",
    "BudgetRevision",
    "ConsumedCursor",
    "ConsumedEvent",
    "Credit",
    "CreditSource",
    "Disbursement",
    "DisbursementLine",
    "Event",
    "EventRelay",
    "FederalAllocation",
    "FederalAllocationYear",
    "FederalPayment",
    "FundingProgramme",
    "ProgrammeMeasure",
    "ProgrammePartner",
    "SettlementDecision",
    "SettlementDecisionEvent",
]
