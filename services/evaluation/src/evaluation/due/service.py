"""The due list: milestones, management responses, follow-up actions, indicator values and annual reports that
are overdue or due within N days (a report SEM returned stays on it until resubmitted).
Computed from the injected clock; nothing about being due is stored.

A canton sees all of its canton's items, SEM every canton's, a partner only its own: responses to the
recommendations addressed to it, actions it owns, and values of the indicators of the measures it delivers.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.annual_report import lifecycle
from evaluation.annual_report.lifecycle_schemas import ReportStatus
from evaluation.due.schemas import DueItem, DueKind
from evaluation.evaluation.models import Evaluation
from evaluation.indicator.models import Indicator, IndicatorTarget
from evaluation.indicator_value.models import IndicatorValue
from evaluation.milestone.models import Milestone
from evaluation.recommendation.models import FollowUpAction, Recommendation
from evaluation.recommendation.schemas import CLOSED_ACTION
from evaluation.reference import ProgrammeInfo, ProgrammeRef
from evaluation.upstream import Programmes
from kit.auth import Principal


def _item(kind: DueKind, item_id: uuid.UUID, title: str, due: dt.date, today: dt.date, **extra: object) -> DueItem:
    return DueItem.model_validate(
        {
            "kind": kind,
            "id": item_id,
            "title": title,
            "due_date": due,
            "overdue": due < today,
            "days_left": (due - today).days,
            **extra,
        }
    )


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def _milestones(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID | None, horizon: dt.date, today: dt.date
) -> list[DueItem]:
    if principal.is_partner:
        return []
    query = (
        select(Milestone, Evaluation)
        .join(Evaluation, Evaluation.id == Milestone.evaluation_id)
        .where(Milestone.done_date.is_(None), Milestone.due_date <= horizon)
    )
    if principal.is_canton:
        query = query.where(Milestone.canton == principal.canton)
    if programme_id is not None:
        query = query.where(Evaluation.programme_id == programme_id)
    return [
        _item(
            DueKind.MILESTONE,
            m.id,
            f"{e.title}: {m.title}",
            m.due_date,
            today,
            programme_id=e.programme_id,
            evaluation_id=e.id,
        )
        for m, e in (await session.execute(query)).all()
    ]


async def _responses(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID | None, horizon: dt.date, today: dt.date
) -> list[DueItem]:
    query = select(Recommendation).where(
        Recommendation.response_decision.is_(None), Recommendation.response_due_date <= horizon
    )
    if principal.is_partner:
        query = query.where(Recommendation.addressee_partner_id == principal.partner_id)
    elif principal.is_canton:
        query = query.where(Recommendation.canton == principal.canton)
    if programme_id is not None:
        query = query.where(Recommendation.programme_id == programme_id)
    return [
        _item(
            DueKind.MANAGEMENT_RESPONSE,
            r.id,
            f"Response to recommendation {r.number}: {_short(r.text)}",
            r.response_due_date,
            today,
            programme_id=r.programme_id,
            evaluation_id=r.evaluation_id,
            partner_id=r.addressee_partner_id,
        )
        for r in (await session.scalars(query)).all()
    ]


async def _actions(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID | None, horizon: dt.date, today: dt.date
) -> list[DueItem]:
    query = (
        select(FollowUpAction, Recommendation)
        .join(Recommendation, Recommendation.id == FollowUpAction.recommendation_id)
        .where(FollowUpAction.status.not_in([str(s) for s in CLOSED_ACTION]), FollowUpAction.due_date <= horizon)
    )
    if principal.is_partner:
        query = query.where(FollowUpAction.owner_partner_id == principal.partner_id)
    elif principal.is_canton:
        query = query.where(FollowUpAction.canton == principal.canton)
    if programme_id is not None:
        query = query.where(Recommendation.programme_id == programme_id)
    return [
        _item(
            DueKind.FOLLOW_UP_ACTION,
            a.id,
            a.title,
            a.due_date,
            today,
            programme_id=r.programme_id,
            evaluation_id=r.evaluation_id,
            partner_id=a.owner_partner_id,
        )
        for a, r in (await session.execute(query)).all()
    ]


async def _values(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    programme_id: uuid.UUID | None,
    horizon: dt.date,
    today: dt.date,
    due_days: int,
) -> list[DueItem]:
    """A programme indicator's value for a year with a target is due `due_days` after that year ends."""
    last_year_due = (horizon - dt.timedelta(days=due_days)).year - 1
    query = (
        select(Indicator, IndicatorTarget)
        .join(IndicatorTarget, IndicatorTarget.indicator_id == Indicator.id)
        .where(Indicator.programme_id.is_not(None), IndicatorTarget.year <= last_year_due)
    )
    if principal.is_partner:
        query = query.where(Indicator.measure_id.in_(await programmes.own_measure_ids()))
    elif principal.is_canton:
        query = query.where(Indicator.canton == principal.canton)
    if programme_id is not None:
        query = query.where(Indicator.programme_id == programme_id)
    rows = (await session.execute(query)).all()
    reported = {
        (i, y)
        for i, y in (
            await session.execute(
                select(IndicatorValue.indicator_id, IndicatorValue.year).where(
                    IndicatorValue.indicator_id.in_({ind.id for ind, _ in rows}), IndicatorValue.dimension == ""
                )
            )
        ).all()
    }
    items = []
    for indicator, target in rows:
        if (indicator.id, target.year) in reported:
            continue
        due = dt.date(target.year, 12, 31) + dt.timedelta(days=due_days)
        if due <= horizon:
            items.append(
                _item(
                    DueKind.INDICATOR_VALUE,
                    indicator.id,
                    f"{indicator.code} {target.year}: {indicator.title}",
                    due,
                    today,
                    programme_id=indicator.programme_id,
                    year=target.year,
                )
            )
    return items


async def _reports(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID | None, horizon: dt.date, today: dt.date
) -> list[DueItem]:
    """A report of an ended year that SEM has nothing of to accept: none submitted yet (due by the horizon), or
    returned for correction (whatever its date)."""
    if principal.is_partner:
        return []
    query = select(ProgrammeRef)
    if principal.is_canton:
        query = query.where(ProgrammeRef.canton == principal.canton)
    if programme_id is not None:
        query = query.where(ProgrammeRef.id == programme_id)
    items = []
    for ref in (await session.scalars(query)).all():
        info = ProgrammeInfo(ref.id, ref.canton, ref.period_code, ref.first_year, ref.last_year)
        for year in range(ref.first_year, min(ref.last_year, today.year - 1) + 1):
            state = await lifecycle.state(session, info, year, today)
            returned = state.status is ReportStatus.RETURNED
            if returned or (state.status in (ReportStatus.DUE, ReportStatus.OVERDUE) and state.due_date <= horizon):
                title = f"Annual report {year} to SEM" + (" (returned for correction)" if returned else "")
                item = _item(DueKind.ANNUAL_REPORT, ref.id, title, state.due_date, today, programme_id=ref.id)
                items.append(item.model_copy(update={"year": year, "status": state.status.value}))
    return items


async def due_list(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    programme_id: uuid.UUID | None,
    within_days: int,
    today: dt.date,
    due_days: int,
) -> list[DueItem]:
    horizon = today + dt.timedelta(days=within_days)
    items = [
        *await _milestones(session, principal, programme_id, horizon, today),
        *await _responses(session, principal, programme_id, horizon, today),
        *await _actions(session, principal, programme_id, horizon, today),
        *await _values(session, principal, programmes, programme_id, horizon, today, due_days),
        *await _reports(session, principal, programme_id, horizon, today),
    ]
    return sorted(items, key=lambda i: (i.due_date, i.kind, i.title, str(i.id)))
