"""The funding service's domain events (`funding.*`) and its outbox tables; see `kit.events`."""

from __future__ import annotations

from funding.audit import audit_scope
from funding.database import Base
from kit.events import CREATED, UPDATED, Catalogue, EventMixin, EventRelayMixin, Rule


class Event(EventMixin, Base):
    pass


class EventRelay(EventRelayMixin, Base):
    pass


CATALOGUE = Catalogue(
    "funding",
    [
        Rule("agreement", "agreement", summary="A service agreement was created, amended or changed."),
        Rule(
            "agreement",
            "agreement",
            "",
            column="status",
            values=("signed", "terminated", "closed"),
            summary="A service agreement was signed, terminated or closed (`data.status`).",
        ),
        Rule(
            "disbursement",
            "disbursement",
            "",
            column="status",
            values=("requested", "approved", "paid", "rejected"),
            summary="A disbursement was requested, approved, paid or rejected (`data.status`).",
        ),
        Rule(
            "budget_line",
            "budget",
            "revised",
            column="current_revision",
            actions=(UPDATED,),
            summary="A budget line was revised (`data.current_revision` is the revision now in force).",
        ),
        Rule("credit", "credit", summary="An expenditure authorisation (credit) was created or changed."),
        Rule(
            "federal_payment",
            "federal_payment",
            "recorded",
            actions=(CREATED,),
            version="",
            summary="SEM recorded a federal payment to the canton.",
        ),
        Rule(
            "federal_allocation",
            "federal_allocation",
            summary="SEM recorded or corrected the federal integration credit allocated to a programme.",
        ),
        Rule(
            "settlement_decision",
            "settlement",
            "decided",
            actions=(CREATED,),
            version="number",
            summary="SEM decided the settlement of a programme (`data.version` is the decision's number).",
        ),
        Rule(
            "settlement_decision_event",
            "settlement",
            "",
            column="kind",
            values=("acknowledged", "repaid"),
            actions=(CREATED,),
            version="",
            summary="The canton acknowledged a settlement decision, or SEM recorded its repayment (`data.kind`).",
        ),
    ],
    Event,
    EventRelay,
    audit_scope,
)
