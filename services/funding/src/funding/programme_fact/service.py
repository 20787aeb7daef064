"""The programme service's measures and partners as funding follows them (`kit.programme_facts`), and the rules
that use them: a closed measure or a deactivated partner takes no new commitments."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession

from funding.problems import MeasureClosed, PartnerDeactivated
from funding.programme_fact.models import ConsumedCursor, ConsumedEvent, ProgrammeMeasure, ProgrammePartner
from kit.programme_facts import ProgrammeFacts

FACTS = ProgrammeFacts(ProgrammeMeasure, ProgrammePartner, ConsumedCursor, ConsumedEvent)
PROJECTION = FACTS.projection
apply_event = FACTS.apply_event
closed_measures = FACTS.closed_measures
deactivated_partners = FACTS.deactivated_partners


async def require_partner_active(session: AsyncSession, partner_id: uuid.UUID) -> None:
    """409 `funding/partner-deactivated` when the programme service deactivated the partner."""
    if await deactivated_partners(session, [partner_id]):
        raise PartnerDeactivated(
            f"Partner {partner_id} is deactivated in the programme service; it takes no new commitments.",
            partner_id=str(partner_id),
        )


async def require_measures_open(
    session: AsyncSession, measure_ids: list[uuid.UUID], field: list[str], already: Collection[uuid.UUID] = ()
) -> None:
    """409 `funding/measure-closed` naming the first closed measure (and its index in `field`); measures in
    `already` (committed before) are let through."""
    closed = await closed_measures(session, measure_ids)
    for i, measure_id in enumerate(measure_ids):
        if measure_id in closed and measure_id not in already:
            raise MeasureClosed(
                f"Measure {measure_id} is {closed[measure_id]} in the programme service; it takes no new commitments.",
                measure_id=str(measure_id),
                measure_status=closed[measure_id],
                field=[*field, i],
            )
