"""SEM's settlement decisions: each one a new immutable version with the computed proposal it rests on; the canton
acknowledges it, SEM records the repayment of its refund. A refund decided and not yet repaid is open."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from funding.evaluation_reader import EvaluationService
from funding.funding_programme import service as programmes_service
from funding.funding_programme.models import FundingProgramme
from funding.problems import InvalidTransition, SemDecides
from funding.settlement import service
from funding.settlement.decision_schemas import (
    AcknowledgementWrite,
    DecisionEvent,
    RepaymentWrite,
    SettlementDecisionRead,
    SettlementDecisionWrite,
)
from funding.settlement.models import SettlementDecision, SettlementDecisionEvent
from funding.settlement.schemas import Settlement
from kit.auth import Principal
from kit.i18n import Msg
from kit.problems import InvalidInput, NotFound

ACKNOWLEDGED = "acknowledged"
REPAID = "repaid"
ZERO = Decimal("0.00")


async def _events(session: AsyncSession, decision_ids: list[uuid.UUID]) -> dict[tuple[uuid.UUID, str], DecisionEvent]:
    if not decision_ids:
        return {}
    rows = await session.scalars(
        select(SettlementDecisionEvent).where(SettlementDecisionEvent.decision_id.in_(decision_ids))
    )
    return {
        (e.decision_id, e.kind): DecisionEvent(
            recorded_by=e.recorded_by, recorded_at=e.created_at, on_date=e.on_date, note=e.note
        )
        for e in rows
    }


async def _latest_number(session: AsyncSession, programme_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.coalesce(func.max(SettlementDecision.number), 0)).where(
                SettlementDecision.programme_id == programme_id
            )
        )
        or 0
    )


async def reads(session: AsyncSession, decisions: list[SettlementDecision]) -> list[SettlementDecisionRead]:
    """The decisions as read, with their acknowledgement, repayment and whether a later one supersedes them."""
    events = await _events(session, [d.id for d in decisions])
    latest: dict[uuid.UUID, int] = {}
    for programme_id in {d.programme_id for d in decisions}:
        latest[programme_id] = await _latest_number(session, programme_id)
    result = []
    for d in decisions:
        superseded = d.number < latest[d.programme_id]
        repayment = events.get((d.id, REPAID))
        result.append(
            SettlementDecisionRead(
                id=d.id,
                programme_id=d.programme_id,
                canton=d.canton,
                number=d.number,
                carry_over_amount=d.carry_over_amount,
                refund_amount=d.refund_amount,
                due_date=d.due_date,
                reasons=d.reasons,
                proposal=Settlement.model_validate(d.proposal),
                decided_by=d.decided_by,
                decided_at=d.created_at,
                superseded=superseded,
                acknowledgement=events.get((d.id, ACKNOWLEDGED)),
                repayment=repayment,
                refund_open=not superseded and d.refund_amount > ZERO and repayment is None,
            )
        )
    return result


async def listed(session: AsyncSession, programme: FundingProgramme) -> list[SettlementDecision]:
    rows = await session.scalars(
        select(SettlementDecision)
        .where(SettlementDecision.programme_id == programme.id)
        .order_by(SettlementDecision.number)
    )
    return list(rows)


async def get_one(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID, number: int
) -> SettlementDecision:
    await programmes_service.get_visible_programme(session, principal, programme_id)
    decision = await session.scalar(
        select(SettlementDecision).where(
            SettlementDecision.programme_id == programme_id, SettlementDecision.number == number
        )
    )
    if decision is None:
        raise NotFound(
            Msg(
                "Programme {programme_id} has no settlement decision {number}.",
                programme_id=programme_id,
                number=number,
            )
        )
    return decision


async def decide(
    session: AsyncSession,
    principal: Principal,
    evaluation: EvaluationService,
    programme_id: uuid.UUID,
    data: SettlementDecisionWrite,
    today: dt.date,
) -> SettlementDecision:
    if not principal.is_sem:
        raise SemDecides(
            Msg("The settlement of federal money is SEM's decision (VIntA 19); the canton acknowledges it.")
        )
    programme = await programmes_service.get_visible_programme(session, principal, programme_id)
    if data.refund_amount > ZERO and data.due_date is None:
        raise InvalidInput(Msg("A refund needs the date it is due."), field=["body", "due_date"])
    proposal = await service.settlement(
        session, programme, data.as_of or today, await service.goals_basis(evaluation, programme)
    )
    locked = await session.scalar(select(FundingProgramme).where(FundingProgramme.id == programme.id).with_for_update())
    assert locked is not None
    decision = SettlementDecision(
        programme_id=programme.id,
        canton=programme.canton,
        number=await _latest_number(session, programme.id) + 1,
        carry_over_amount=data.carry_over_amount,
        refund_amount=data.refund_amount,
        due_date=data.due_date,
        reasons=data.reasons,
        proposal=proposal.model_dump(mode="json"),
        decided_by=principal.subject,
    )
    session.add(decision)
    await session.flush()
    return decision


async def _record(
    session: AsyncSession, decision: SettlementDecision, kind: str, by: str, on: dt.date | None, note: str | None
) -> None:
    existing = await session.get(SettlementDecisionEvent, (decision.id, kind))
    if existing is not None:
        raise InvalidTransition(
            Msg(
                "Settlement decision {number} was already {kind} by {recorded_by}.",
                number=decision.number,
                kind=kind,
                recorded_by=existing.recorded_by,
            ),
            status_now=kind,
        )
    session.add(
        SettlementDecisionEvent(
            decision_id=decision.id,
            kind=kind,
            programme_id=decision.programme_id,
            recorded_by=by,
            on_date=on,
            note=note,
        )
    )
    await session.flush()


async def acknowledge(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID, number: int, data: AcknowledgementWrite
) -> SettlementDecision:
    decision = await get_one(session, principal, programme_id, number)
    principal.require_editor(decision.canton)
    await _record(session, decision, ACKNOWLEDGED, principal.subject, None, data.note)
    return decision


async def repaid(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID, number: int, data: RepaymentWrite
) -> SettlementDecision:
    if not principal.is_sem:
        raise SemDecides(Msg("SEM records that the Confederation received a refund."))
    decision = await get_one(session, principal, programme_id, number)
    if decision.refund_amount <= ZERO:
        raise InvalidTransition(
            Msg("Settlement decision {number} claims no refund.", number=number), status_now="no-refund"
        )
    if number < await _latest_number(session, programme_id):
        raise InvalidTransition(
            Msg("Settlement decision {number} is superseded by a later one.", number=number), status_now="superseded"
        )
    if data.repaid_on < decision.created_at.date():
        raise InvalidInput(Msg("The refund cannot be repaid before it was decided."), field=["body", "repaid_on"])
    await _record(session, decision, REPAID, principal.subject, data.repaid_on, data.note)
    return decision


async def open_refunds(session: AsyncSession, programme: FundingProgramme) -> list[SettlementDecision]:
    """The programme's current decision when it claims a refund not yet recorded as repaid."""
    number = await _latest_number(session, programme.id)
    if number == 0:
        return []
    decision = await session.scalar(
        select(SettlementDecision).where(
            SettlementDecision.programme_id == programme.id, SettlementDecision.number == number
        )
    )
    if decision is None or decision.refund_amount <= ZERO:
        return []
    if await session.get(SettlementDecisionEvent, (decision.id, REPAID)) is not None:
        return []
    return [decision]
