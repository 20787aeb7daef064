"""Funding's copy of the programme service's measure and partner statuses (`kit.programme_facts`)."""

from __future__ import annotations

from funding.database import Base
from kit.consumer import ConsumedCursorMixin, ConsumedEventMixin
from kit.programme_facts import ProgrammeMeasureMixin, ProgrammePartnerMixin


class ProgrammeMeasure(ProgrammeMeasureMixin, Base):
    pass


class ProgrammePartner(ProgrammePartnerMixin, Base):
    pass


class ConsumedCursor(ConsumedCursorMixin, Base):
    pass


class ConsumedEvent(ConsumedEventMixin, Base):
    pass
