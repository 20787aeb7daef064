"""Every table of the evaluation service, imported in one place for the migrations and the tests."""

from evaluation.annual_report.lifecycle_models import ReportDeadline, ReportDecision
from evaluation.annual_report.models import AnnualReportVersion
from evaluation.audit import AuditRecord
from evaluation.database import Base
from evaluation.evaluation.models import Evaluation, evaluation_measure, evaluation_partner
from evaluation.events import Event, EventRelay
from evaluation.indicator.models import Indicator, IndicatorRule, IndicatorTarget, NationalGoal
from evaluation.indicator_value.models import IndicatorValue
from evaluation.milestone.models import Milestone
from evaluation.programme_fact.models import ConsumedCursor, ConsumedEvent, ProgrammeMeasure, ProgrammePartner
from evaluation.recommendation.models import Finding, FollowUpAction, Recommendation
from evaluation.reference import ProgrammeRef
from evaluation.report_text.models import ReportText

__all__ = [
    "AnnualReportVersion",
    "AuditRecord",
    "Base",
    "ConsumedCursor",
    "ConsumedEvent",
    "Evaluation",
    "Event",
    "EventRelay",
    "Finding",
    "FollowUpAction",
    "Indicator",
    "IndicatorRule",
    "IndicatorTarget",
    "IndicatorValue",
    "Milestone",
    "NationalGoal",
    "ProgrammeMeasure",
    "ProgrammePartner",
    "ProgrammeRef",
    "Recommendation",
    "ReportDeadline",
    "ReportDecision",
    "ReportText",
    "evaluation_measure",
    "evaluation_partner",
]
