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
        select(Indicator.id, Indicator.programme_id, Indicator.code, Indicator.title, IndicatorTarget.year)
        .join(IndicatorTarget, IndicatorTarget.indicator_id == Indicator.id)
        .where(Indicator.programme_id.is_not(None), IndicatorTarget.year <= last_year_due)
    )
    if principal.is_partner:
        query = query.where(Indicator.measure_id.in_(await programmes.own_measure_ids()))
    elif principal.is_canton:
        query = query.where(Indicator.canton == principal.canton)
    if programme_id is not None:
        query = query.where(Indicator.programme_id == programme_id)
    reported = select(IndicatorValue.id).where(
        IndicatorValue.indicator_id == Indicator.id,
        IndicatorValue.year == IndicatorTarget.year,
        IndicatorValue.dimension == "",
    )
    rows = (await session.execute(query.where(~reported.exists()))).all()
    items = []
    for row in rows:
        due = dt.date(row.year, 12, 31) + dt.timedelta(days=due_days)
        if due <= horizon:
            items.append(
                _item(
                    DueKind.INDICATOR_VALUE,
                    row.id,
                    f"{row.code} {row.year}: {row.title}",
                    due,
                    today,
                    programme_id=row.programme_id,
                    year=row.year,
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
    refs = (await session.scalars(query)).all()
    wanted = [
        (ProgrammeInfo(ref.id, ref.canton, ref.period_code, ref.first_year, ref.last_year), year)
        for ref in refs
        for year in range(ref.first_year, min(ref.last_year, today.year - 1) + 1)
    ]
    items = []
    for state in await lifecycle.states_of(session, wanted, today, illustrative=False):
        returned = state.status is ReportStatus.RETURNED
        if returned or (state.status in (ReportStatus.DUE, ReportStatus.OVERDUE) and state.due_date <= horizon):
            title = f"Annual report {state.year} to SEM" + (" (returned for correction)" if returned else "")
            item = _item(
                DueKind.ANNUAL_REPORT, state.programme_id, title, state.due_date, today, programme_id=state.programme_id
            )
            items.append(item.model_copy(update={"year": state.year, "status": state.status.value}))
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
