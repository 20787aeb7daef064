"""The evaluation service's domain events (`evaluation.*`) and its outbox tables; see `kit.events`."""

from __future__ import annotations

from evaluation.audit import audit_scope
from evaluation.database import Base
from kit.events import CREATED, Catalogue, EventMixin, EventRelayMixin, Rule


class Event(EventMixin, Base):
    pass


class EventRelay(EventRelayMixin, Base):
    pass


CATALOGUE = Catalogue(
    "evaluation",
    [
        Rule("evaluation", "evaluation", summary="An evaluation or study was created or changed."),
        Rule(
            "indicator_value",
            "indicator_value",
            "",
            column="status",
            values=("reported", "confirmed"),
            summary="An indicator value was reported (or corrected) or confirmed by the canton (`data.status`).",
        ),
        Rule(
            "annual_report_version",
            "annual_report",
            "submitted",
            actions=(CREATED,),
            version="number",
            summary="The canton submitted a version of its annual report (`data.version` is its number).",
        ),
        Rule(
            "recommendation",
            "recommendation",
            "responded",
            column="responded_at",
            summary="The addressee (or a canton editor) answered a recommendation.",
        ),
        Rule(
            "report_decision",
            "annual_report",
            "",
            column="decision",
            values=("received", "accepted", "returned"),
            actions=(CREATED,),
            version="version_number",
            summary="SEM received, accepted or returned a version of an annual report (`data.decision`; "
            "`data.version` is the version's number).",
        ),
        Rule(
            "report_text",
            "report_text",
            "written",
            column="section",
            actions=(CREATED,),
            summary="A new version of an annual report's text was written (`data.section`, `data.version`).",
        ),
    ],
    Event,
    EventRelay,
    audit_scope,
)
