"""An annual report's journey to SEM and back: the due date per period, SEM's decisions and the state.

The state is computed from the versions and decisions and the injected clock; nothing about being due is stored.
SEM records `received`, then `accepted` or `returned` (with a comment) on the latest version; a returned report is
resubmitted as the next version. An accepted report, or one SEM has received and not yet decided on, takes no new
version.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.annual_report.lifecycle_models import ReportDeadline, ReportDecision
from evaluation.annual_report.lifecycle_schemas import (
    DeadlineRead,
    DeadlineSet,
    DecisionCreate,
    DecisionRead,
    ReportState,
    ReportStatus,
    ReportVerdict,
)
from evaluation.annual_report.models import AnnualReportVersion
from evaluation.reference import ProgrammeInfo, ProgrammeRef, programme_for_read
from evaluation.upstream import Programmes
from kit.auth import Principal
from kit.i18n import Msg
from kit.problems import Conflict, Forbidden, InvalidInput

#: Until SEM sets one for a period: 30 April of the year after the report year. An assumption: SEM's KIP 3
#: reporting deadline could not be found (domain brief §9, open questions).
DEFAULT_DUE = (4, 30)
DEFAULT_SOURCE = "Assumption: 30 April of the following year; SEM's reporting deadline was not found."


class ReportUnderReview(Conflict):
    type_slug = "annual-report/not-open-for-submission"
    title = "The report takes no new version now"


class DecisionOutOfOrder(Conflict):
    type_slug = "annual-report/decision-out-of-order"
    title = "This decision does not follow from the report's state"


def _read_deadline(period_code: str, row: ReportDeadline | None) -> DeadlineRead:
    if row is None:
        month, day = DEFAULT_DUE
        return DeadlineRead(
            period_code=period_code, due_month=month, due_day=day, assumption=True, source=DEFAULT_SOURCE
        )
    return DeadlineRead(
        period_code=period_code, due_month=row.due_month, due_day=row.due_day, assumption=False, source=row.source
    )


async def deadline(session: AsyncSession, period_code: str) -> DeadlineRead:
    return _read_deadline(period_code, await session.get(ReportDeadline, period_code))


async def set_deadline(
    session: AsyncSession, principal: Principal, period_code: str, data: DeadlineSet
) -> DeadlineRead:
    if not principal.is_sem:
        raise Forbidden(Msg("SEM sets the annual report's due date."))
    row = await session.get(ReportDeadline, period_code)
    if row is None:
        row = ReportDeadline(period_code=period_code, set_by=principal.subject, **data.model_dump())
        session.add(row)
    else:
        row.due_month, row.due_day, row.source, row.set_by = (
            data.due_month,
            data.due_day,
            data.source,
            principal.subject,
        )
    await session.flush()
    return _read_deadline(period_code, row)


def due_date(rule: DeadlineRead, year: int) -> dt.date:
    last = calendar.monthrange(year + 1, rule.due_month)[1]
    return dt.date(year + 1, rule.due_month, min(rule.due_day, last))


def to_read(d: ReportDecision) -> DecisionRead:
    return DecisionRead(
        id=d.id,
        version=d.version_number,
        decision=ReportVerdict(d.decision),
        comment=d.comment,
        decided_by=d.decided_by,
        decided_at=d.decided_at,
    )


async def _decisions(session: AsyncSession, programme_id: uuid.UUID, year: int) -> list[ReportDecision]:
    query = select(ReportDecision).where(ReportDecision.programme_id == programme_id, ReportDecision.year == year)
    return list((await session.scalars(query.order_by(ReportDecision.decided_at, ReportDecision.version_number))).all())


def _status_of(latest: int | None, decisions: list[ReportDecision]) -> ReportStatus | None:
    if latest is None:
        return None
    on_latest = {d.decision for d in decisions if d.version_number == latest}
    for decision in (ReportVerdict.ACCEPTED, ReportVerdict.RETURNED, ReportVerdict.RECEIVED):
        if decision in on_latest:
            return ReportStatus(decision.value)
    return ReportStatus.SUBMITTED


def contains_illustrative(node: Any) -> bool:
    if isinstance(node, dict):
        return node.get("illustrative") is True or any(contains_illustrative(v) for v in node.values())
    if isinstance(node, list):
        return any(contains_illustrative(v) for v in node)
    return False


async def state(session: AsyncSession, info: ProgrammeInfo, year: int, today: dt.date) -> ReportState:
    return (await states_of(session, [(info, year)], today))[0]


async def states_of(
    session: AsyncSession, wanted: Sequence[tuple[ProgrammeInfo, int]], today: dt.date, *, illustrative: bool = True
) -> list[ReportState]:
    """The state of each (programme, year), in the order asked, from three statements whatever their number: the
    periods' deadlines, each report's latest version number and the decisions. `illustrative=False` leaves the
    latest versions' content unread (`illustrative` is then null), for callers that only need the status."""
    if not wanted:
        return []
    ids = sorted({info.id for info, _ in wanted})
    years = sorted({year for _, year in wanted})
    rules = {row.period_code: row for row in (await session.scalars(select(ReportDeadline))).all()}
    numbers = select(
        AnnualReportVersion.programme_id,
        AnnualReportVersion.year,
        func.max(AnnualReportVersion.number).label("number"),
    ).where(AnnualReportVersion.programme_id.in_(ids), AnnualReportVersion.year.in_(years))
    latest: dict[tuple[uuid.UUID, int], int] = {
        (p, y): n
        for p, y, n in await session.execute(
            numbers.group_by(AnnualReportVersion.programme_id, AnnualReportVersion.year)
        )
    }
    marked: dict[tuple[uuid.UUID, int], bool] = {}
    if illustrative and latest:
        newest = numbers.group_by(AnnualReportVersion.programme_id, AnnualReportVersion.year).subquery()
        query = select(AnnualReportVersion.programme_id, AnnualReportVersion.year, AnnualReportVersion.content).join(
            newest,
            (newest.c.programme_id == AnnualReportVersion.programme_id)
            & (newest.c.year == AnnualReportVersion.year)
            & (newest.c.number == AnnualReportVersion.number),
        )
        marked = {(p, y): contains_illustrative(content) for p, y, content in await session.execute(query)}
    decisions: dict[tuple[uuid.UUID, int], list[ReportDecision]] = {}
    query = (
        select(ReportDecision)
        .where(ReportDecision.programme_id.in_(ids), ReportDecision.year.in_(years))
        .order_by(ReportDecision.decided_at, ReportDecision.version_number)
    )
    for d in (await session.scalars(query)).all():
        decisions.setdefault((d.programme_id, d.year), []).append(d)
    result = []
    for info, year in wanted:
        rule = _read_deadline(info.period_code, rules.get(info.period_code))
        due = due_date(rule, year)
        number = latest.get((info.id, year))
        on_report = decisions.get((info.id, year), [])
        status = _status_of(number, on_report)
        if status is None:
            status = (
                ReportStatus.NOT_DUE
                if today.year <= year
                else ReportStatus.OVERDUE
                if today > due
                else ReportStatus.DUE
            )
        result.append(
            ReportState(
                programme_id=info.id,
                canton=info.canton,
                year=year,
                status=status,
                due_date=due,
                due_date_assumed=rule.assumption,
                overdue=status in (ReportStatus.OVERDUE, ReportStatus.RETURNED) and today > due,
                versions=number or 0,
                latest_version=number,
                illustrative=marked.get((info.id, year)) if number is not None and illustrative else None,
                decisions=[to_read(d) for d in on_report],
            )
        )
    return result


async def require_open_for_submission(session: AsyncSession, programme_id: uuid.UUID, year: int) -> None:
    """A first version, a correction before SEM has received the report, or a resubmission after SEM returned
    it; never while SEM reviews it or once accepted."""
    latest = await session.scalar(
        select(func.max(AnnualReportVersion.number)).where(
            AnnualReportVersion.programme_id == programme_id, AnnualReportVersion.year == year
        )
    )
    status = _status_of(latest, await _decisions(session, programme_id, year))
    if status is ReportStatus.RECEIVED:
        raise ReportUnderReview(
            Msg(
                "SEM has received version {latest} of the {year} report and not yet decided on it.",
                latest=latest,
                year=year,
            )
        )
    if status is ReportStatus.ACCEPTED:
        raise ReportUnderReview(
            Msg(
                "SEM has accepted version {latest} of the {year} report; it takes no new version.",
                latest=latest,
                year=year,
            )
        )


async def decide(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    programme_id: uuid.UUID,
    year: int,
    data: DecisionCreate,
    today: dt.date,
) -> ReportState:
    if not principal.is_sem:
        raise Forbidden(Msg("SEM records its decisions on annual reports."))
    info = await programme_for_read(session, programmes, principal, programme_id)
    latest = await session.scalar(
        select(func.max(AnnualReportVersion.number)).where(
            AnnualReportVersion.programme_id == programme_id, AnnualReportVersion.year == year
        )
    )
    if latest is None:
        raise DecisionOutOfOrder(Msg("No version of the {year} report has been submitted.", year=year))
    version = data.version or latest
    if version != latest:
        raise DecisionOutOfOrder(
            Msg(
                "Version {version} is not the latest ({latest}); decisions are taken on the latest version.",
                version=version,
                latest=latest,
            ),
            errors=[{"loc": ["body", "version"], "msg": "not the latest version", "type": "value_error"}],
        )
    status = _status_of(latest, await _decisions(session, programme_id, year))
    expected = ReportStatus.SUBMITTED if data.decision is ReportVerdict.RECEIVED else ReportStatus.RECEIVED
    if status is not expected:
        raise DecisionOutOfOrder(
            Msg(
                "`{decision}` follows a report that is `{expected}`; version {latest} is `{status}`.",
                decision=data.decision,
                expected=expected,
                latest=latest,
                status=status,
            )
        )
    comment = (data.comment or "").strip() or None
    if data.decision is ReportVerdict.RETURNED and comment is None:
        raise InvalidInput(Msg("A returned report needs a comment saying what to correct."), field=["body", "comment"])
    session.add(
        ReportDecision(
            programme_id=programme_id,
            canton=info.canton,
            year=year,
            version_number=latest,
            decision=data.decision.value,
            comment=comment,
            decided_by=principal.subject,
        )
    )
    await session.flush()
    return await state(session, info, year, today)


async def states(session: AsyncSession, principal: Principal, year: int, today: dt.date) -> list[ReportState]:
    """Every programme this service knows whose period contains the year; SEM all, a canton its own."""
    if principal.is_partner:
        raise Forbidden(Msg("Annual reports are read by the cantons and SEM."))
    query = select(ProgrammeRef).where(ProgrammeRef.first_year <= year, ProgrammeRef.last_year >= year)
    if not principal.is_sem:
        query = query.where(ProgrammeRef.canton == principal.canton)
    refs = (await session.scalars(query.order_by(ProgrammeRef.canton, ProgrammeRef.id))).all()
    infos = [ProgrammeInfo(r.id, r.canton, r.period_code, r.first_year, r.last_year) for r in refs]
    return await states_of(session, [(info, year) for info in infos], today)
