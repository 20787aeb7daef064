"""Use cases of findings, recommendations and management responses.

A partner sees only the recommendations addressed to it and answers them; the canton writes the rest.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.evaluation.models import Evaluation
from evaluation.evaluation.service import get_editable_evaluation, get_visible_evaluation
from evaluation.problems import UnknownReference
from evaluation.recommendation.models import Finding, Recommendation
from evaluation.recommendation.schemas import (
    DEFAULT_RESPONSE_DAYS,
    Decision,
    FindingCreate,
    FindingRead,
    Priority,
    RecommendationCreate,
    RecommendationRead,
    ResponseWrite,
)
from evaluation.upstream import Programmes
from kit.auth import Principal, Role
from kit.db import utcnow
from kit.etag import check_version
from kit.i18n import Msg
from kit.pagination import PageParams, paginate
from kit.problems import Forbidden, InvalidInput, NotFound


def finding_read(finding: Finding) -> FindingRead:
    return FindingRead.model_validate(finding, from_attributes=True)


def to_read(rec: Recommendation, today: dt.date) -> RecommendationRead:
    return RecommendationRead(
        id=rec.id,
        evaluation_id=rec.evaluation_id,
        programme_id=rec.programme_id,
        number=rec.number,
        finding_id=rec.finding_id,
        text=rec.text,
        addressee_partner_id=rec.addressee_partner_id,
        priority=Priority(rec.priority),
        response_due_date=rec.response_due_date,
        response_decision=Decision(rec.response_decision) if rec.response_decision else None,
        response_reasons=rec.response_reasons,
        responded_at=rec.responded_at,
        responded_by=rec.responded_by,
        response_overdue=rec.response_decision is None and rec.response_due_date < today,
        version=rec.version,
    )


async def list_findings(session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID) -> list[Finding]:
    await get_visible_evaluation(session, principal, evaluation_id)
    query = select(Finding).where(Finding.evaluation_id == evaluation_id).order_by(Finding.number)
    return list((await session.scalars(query)).all())


async def create_finding(
    session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID, data: FindingCreate
) -> Finding:
    evaluation = await get_editable_evaluation(session, principal, evaluation_id)
    last = await session.scalar(select(func.max(Finding.number)).where(Finding.evaluation_id == evaluation.id))
    finding = Finding(evaluation_id=evaluation.id, canton=evaluation.canton, number=(last or 0) + 1, text=data.text)
    session.add(finding)
    await session.flush()
    return finding


async def get_visible_recommendation(
    session: AsyncSession, principal: Principal, recommendation_id: uuid.UUID
) -> Recommendation:
    """Foreign and missing recommendations answer alike (404); a partner sees only those addressed to it."""
    rec = await session.get(Recommendation, recommendation_id)
    if rec is None:
        raise NotFound(Msg("No recommendation {recommendation_id}.", recommendation_id=recommendation_id))
    visible = (
        rec.addressee_partner_id == principal.partner_id
        if principal.is_partner
        else principal.can_read_canton(rec.canton)
    )
    if not visible:
        raise NotFound(Msg("No recommendation {recommendation_id}.", recommendation_id=recommendation_id))
    return rec


async def list_recommendations(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    programme_id: uuid.UUID | None,
    addressee_partner_id: uuid.UUID | None,
    evaluation_id: uuid.UUID | None,
) -> tuple[list[Recommendation], int]:
    query = select(Recommendation)
    if principal.is_partner:
        query = query.where(Recommendation.addressee_partner_id == principal.partner_id)
    elif not principal.is_sem:
        query = query.where(Recommendation.canton == principal.canton)
    if programme_id is not None:
        query = query.where(Recommendation.programme_id == programme_id)
    if addressee_partner_id is not None:
        query = query.where(Recommendation.addressee_partner_id == addressee_partner_id)
    if evaluation_id is not None:
        query = query.where(Recommendation.evaluation_id == evaluation_id)
    query = query.order_by(Recommendation.evaluation_id, Recommendation.number)
    return await paginate(session, query, page)


async def create_recommendation(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    evaluation_id: uuid.UUID,
    data: RecommendationCreate,
    today: dt.date,
) -> Recommendation:
    evaluation: Evaluation = await get_editable_evaluation(session, principal, evaluation_id)
    if data.finding_id is not None:
        finding = await session.get(Finding, data.finding_id)
        if finding is None or finding.evaluation_id != evaluation.id:
            raise UnknownReference(
                Msg("Unknown finding {finding_id} of this evaluation.", finding_id=data.finding_id),
                field=["body", "finding_id"],
            )
    due = data.response_due_date or today + dt.timedelta(days=DEFAULT_RESPONSE_DAYS)
    if due < today:
        raise InvalidInput(Msg("The response cannot be due in the past."), field=["body", "response_due_date"])
    await programmes.require_partner(data.addressee_partner_id, evaluation.canton, ["body", "addressee_partner_id"])
    last = await session.scalar(
        select(func.max(Recommendation.number)).where(Recommendation.evaluation_id == evaluation.id)
    )
    rec = Recommendation(
        evaluation_id=evaluation.id,
        programme_id=evaluation.programme_id,
        canton=evaluation.canton,
        number=(last or 0) + 1,
        finding_id=data.finding_id,
        text=data.text,
        addressee_partner_id=data.addressee_partner_id,
        priority=str(data.priority),
        response_due_date=due,
    )
    session.add(rec)
    await session.flush()
    return rec


async def respond(
    session: AsyncSession,
    principal: Principal,
    recommendation_id: uuid.UUID,
    data: ResponseWrite,
    if_match: str | None,
) -> Recommendation:
    """The management response: by the addressee partner, or by a canton editor on its behalf."""
    rec = await get_visible_recommendation(session, principal, recommendation_id)
    if not principal.is_partner and not (
        principal.role is Role.CANTON_EDITOR and principal.can_edit_canton(rec.canton)
    ):
        raise Forbidden(Msg("Only the addressee or a canton editor may answer a recommendation."))
    check_version(rec.version, if_match)
    if data.decision is not Decision.ACCEPTED and not (data.reasons or "").strip():
        raise InvalidInput(
            Msg("Give the reasons when a recommendation is partly accepted or rejected."), field=["body", "reasons"]
        )
    rec.response_decision = str(data.decision)
    rec.response_reasons = data.reasons
    rec.responded_at = utcnow()
    rec.responded_by = principal.subject
    await session.flush()
    return rec
