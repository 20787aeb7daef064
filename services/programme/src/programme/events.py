"""The programme service's domain events (`programme.*`) and its outbox tables; see `kit.events`."""

from __future__ import annotations

from kit.events import UPDATED, Catalogue, EventMixin, EventRelayMixin, Rule
from programme.audit import audit_scope
from programme.database import Base


class Event(EventMixin, Base):
    pass


class EventRelay(EventRelayMixin, Base):
    pass


CATALOGUE = Catalogue(
    "programme",
    [
        Rule("programme", "programme", programme="id", summary="A programme was created, changed or removed."),
        Rule("measure", "measure", summary="A measure was created, changed (its goals too) or removed."),
        Rule(
            "measure",
            "measure",
            what="status_changed",
            column="status",
            summary="A measure was created with a status or took a new one (`data.status`, `previous`); "
            "`completed` and `cancelled` close it: funding and evaluation refuse new commitments for it.",
        ),
        Rule("partner", "partner", summary="A partner organisation was created, changed or removed."),
        Rule(
            "partner",
            "partner",
            what="status_changed",
            column="status",
            actions=(UPDATED,),
            summary="A partner became `active` or `deactivated` (`data.status`, `previous`); "
            "funding and evaluation refuse new commitments for a deactivated one.",
        ),
        Rule("goal", "goal", summary="A canton's outcome or output goal was created, changed or removed."),
    ],
    Event,
    EventRelay,
    audit_scope,
)
