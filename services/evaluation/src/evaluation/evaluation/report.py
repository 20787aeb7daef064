"""The evaluations section of the annual report (VIntA art. 18 (b)): each evaluation of the programme with its
status, findings, and recommendations with the management response and the state of their follow-up actions.

Read in four statements (evaluations, findings, recommendations, actions), whatever the number of evaluations.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.evaluation.models import Evaluation
from evaluation.recommendation.models import Finding, FollowUpAction, Recommendation
from evaluation.recommendation.schemas import CLOSED_ACTION
from evaluation.reference import ProgrammeInfo


class ActionLine(BaseModel):
    title: str
    owner: str
    due_date: dt.date
    status: str
    overdue: bool


class RecommendationLine(BaseModel):
    number: int
    text: str
    finding_number: int | None
    priority: str
    response_due_date: dt.date
    response_decision: str | None = Field(description="The management response: accepted, partly, rejected; null.")
    response_reasons: str | None
    response_overdue: bool
    actions: list[ActionLine]


class FindingLine(BaseModel):
    number: int
    text: str


class EvaluationSection(BaseModel):
    id: uuid.UUID
    kind: str
    title: str
    status: str
    contractor: str | None
    planned_end: dt.date | None
    actual_end: dt.date | None
    public_summary: str | None
    illustrative: bool
    findings: list[FindingLine]
    recommendations: list[RecommendationLine]


class EvaluationReport(BaseModel):
    programme_id: uuid.UUID
    as_of: dt.date = Field(description="The date overdue responses and actions are computed for.")
    evaluations: list[EvaluationSection]


async def evaluation_report(session: AsyncSession, programme: ProgrammeInfo, today: dt.date) -> EvaluationReport:
    evaluations = (
        await session.scalars(
            select(Evaluation).where(Evaluation.programme_id == programme.id).order_by(Evaluation.title, Evaluation.id)
        )
    ).all()
    ids = [e.id for e in evaluations]
    findings = (
        await session.scalars(select(Finding).where(Finding.evaluation_id.in_(ids)).order_by(Finding.number))
    ).all()
    recommendations = (
        await session.scalars(
            select(Recommendation).where(Recommendation.evaluation_id.in_(ids)).order_by(Recommendation.number)
        )
    ).all()
    actions = (
        await session.scalars(
            select(FollowUpAction)
            .where(FollowUpAction.recommendation_id.in_([r.id for r in recommendations]))
            .order_by(FollowUpAction.due_date, FollowUpAction.title)
        )
    ).all()
    finding_numbers = {f.id: f.number for f in findings}
    findings_of: dict[uuid.UUID, list[FindingLine]] = defaultdict(list)
    for f in findings:
        findings_of[f.evaluation_id].append(FindingLine(number=f.number, text=f.text))
    closed = {str(s) for s in CLOSED_ACTION}
    actions_of: dict[uuid.UUID, list[ActionLine]] = defaultdict(list)
    for a in actions:
        overdue = a.status not in closed and a.due_date < today
        line = ActionLine(title=a.title, owner=a.owner, due_date=a.due_date, status=a.status, overdue=overdue)
        actions_of[a.recommendation_id].append(line)
    recommendations_of: dict[uuid.UUID, list[RecommendationLine]] = defaultdict(list)
    for r in recommendations:
        recommendations_of[r.evaluation_id].append(
            RecommendationLine(
                number=r.number,
                text=r.text,
                finding_number=finding_numbers.get(r.finding_id) if r.finding_id else None,
                priority=r.priority,
                response_due_date=r.response_due_date,
                response_decision=r.response_decision,
                response_reasons=r.response_reasons,
                response_overdue=r.response_decision is None and r.response_due_date < today,
                actions=actions_of[r.id],
            )
        )
    return EvaluationReport(
        programme_id=programme.id,
        as_of=today,
        evaluations=[
            EvaluationSection(
                id=e.id,
                kind=e.kind,
                title=e.title,
                status=e.status,
                contractor=e.contractor,
                planned_end=e.planned_end,
                actual_end=e.actual_end,
                public_summary=e.public_summary,
                illustrative=e.illustrative,
                findings=findings_of[e.id],
                recommendations=recommendations_of[e.id],
            )
            for e in evaluations
        ],
    )
