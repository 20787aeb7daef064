"""The programme service's measures and partners as evaluation follows them (`kit.programme_facts`), and the rules
that use them: a closed measure takes no new indicators, a deactivated partner reports no more values."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.programme_fact.models import ConsumedCursor, ConsumedEvent, ProgrammeMeasure, ProgrammePartner
from kit.auth import Principal
from kit.problems import Conflict
from kit.programme_facts import CLOSED, ProgrammeFacts


class MeasureClosed(Conflict):
    """A closed measure (completed or cancelled in the programme service) takes no new reporting duties."""

    type_slug = "evaluation/measure-closed"
    title = "The measure is closed"


class PartnerDeactivated(Conflict):
    """A partner the programme service deactivated reports no more; the canton enters its figures."""

    type_slug = "evaluation/partner-deactivated"
    title = "The partner organisation is deactivated"


FACTS = ProgrammeFacts(ProgrammeMeasure, ProgrammePartner, ConsumedCursor, ConsumedEvent)
PROJECTION = FACTS.projection
apply_event = FACTS.apply_event
closed_measures = FACTS.closed_measures
deactivated_partners = FACTS.deactivated_partners
measure_statuses = FACTS.measure_statuses


async def require_partner_active(session: AsyncSession, partner_id: uuid.UUID) -> None:
    """409 `evaluation/partner-deactivated` when the programme service deactivated the partner."""
    if await deactivated_partners(session, [partner_id]):
        raise PartnerDeactivated(
            f"Partner {partner_id} is deactivated in the programme service; it reports no more values (a canton "
            "editor enters them).",
            partner_id=str(partner_id),
        )


async def require_measure_open(session: AsyncSession, principal: Principal, measure_id: uuid.UUID) -> None:
    """409 `evaluation/measure-closed` for a closed measure of a canton the caller may read (others are left to
    the existence check, which answers them like unknown ones)."""
    row = await session.get(ProgrammeMeasure, measure_id)
    if row is None or row.status not in CLOSED or row.canton is None or not principal.can_read_canton(row.canton):
        return
    raise MeasureClosed(
        f"Measure {measure_id} is {row.status} in the programme service; it takes no new indicators.",
        measure_id=str(measure_id),
        measure_status=row.status,
        field=["body", "measure_id"],
    )
