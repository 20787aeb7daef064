"""Every table of the programme service, imported in one place for the migrations and the tests."""

from programme.audit import AuditRecord
from programme.database import Base
from programme.events import Event, EventRelay
from programme.funding_area.models import FundingArea, funding_area_predecessor
from programme.goal.models import Goal
from programme.measure.models import Measure, measure_goal
from programme.partner.models import Partner
from programme.period.models import Period
from programme.programme.models import Programme, ProgrammeArea

__all__ = [
    "AuditRecord",
    "Base",
    "Event",
    "EventRelay",
    "FundingArea",
    "Goal",
    "Measure",
    "Partner",
    "Period",
    "Programme",
    "ProgrammeArea",
    "funding_area_predecessor",
    "measure_goal",
]
