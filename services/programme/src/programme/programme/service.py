"""Use cases of programmes: a canton's KIP for one period, and its priority areas."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Principal
from kit.etag import check_version
from kit.i18n import Msg
from kit.pagination import PageParams, paginate
from kit.problems import Forbidden, InvalidInput, NotFound
from programme.funding_area import service as area_service
from programme.funding_area.models import FundingArea
from programme.period.models import Period
from programme.period.service import get_period_by_code
from programme.problems import InvalidStatusTransition, ProgrammeClosed, ProgrammeExists
from programme.programme.models import Programme, ProgrammeArea
from programme.programme.schemas import (
    TRANSITIONS,
    PeriodRef,
    ProgrammeAreaRead,
    ProgrammeAreaUpdate,
    ProgrammeCreate,
    ProgrammeRead,
    ProgrammeStatus,
    ProgrammeUpdate,
    WorkingLanguage,
    default_working_language,
)


def to_read(programme: Programme, period: Period) -> ProgrammeRead:
    return ProgrammeRead(
        id=programme.id,
        canton=programme.canton,
        period=PeriodRef(id=period.id, code=period.code, first_year=period.first_year, last_year=period.last_year),
        title=programme.title,
        status=ProgrammeStatus(programme.status),
        agreement_reference=programme.agreement_reference,
        agreement_date=programme.agreement_date,
        note=programme.note,
        working_language=WorkingLanguage(programme.working_language),
        version=programme.version,
    )


async def read_programme(session: AsyncSession, programme: Programme) -> ProgrammeRead:
    period = await session.get(Period, programme.period_id)
    assert period is not None
    return to_read(programme, period)


async def get_visible_programme(session: AsyncSession, principal: Principal, programme_id: uuid.UUID) -> Programme:
    """The programme if the caller may read it; a foreign or missing one answers alike (404)."""
    programme = await session.get(Programme, programme_id)
    if programme is None or not principal.can_read_canton(programme.canton):
        raise NotFound(Msg("No programme {programme_id}.", programme_id=programme_id))
    return programme


async def get_editable_programme(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID, *, for_update: bool = False
) -> Programme:
    programme = await get_visible_programme(session, principal, programme_id)
    principal.require_editor(programme.canton)
    if programme.status == ProgrammeStatus.CLOSED:
        raise ProgrammeClosed(
            Msg(
                "Programme {canton} {programme_id} is closed; its structure can no longer change.",
                canton=programme.canton,
                programme_id=programme_id,
            )
        )
    return programme


def visible_programmes(principal: Principal) -> Select[Any]:
    query = select(Programme)
    if principal.is_partner:
        raise Forbidden(Msg("Partners read their own measures under /v1/measures, not programmes."))
    if not principal.is_sem:
        query = query.where(Programme.canton == principal.canton)
    return query


async def list_programmes(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    canton: str | None,
    period: str | None,
    status: ProgrammeStatus | None,
) -> tuple[list[ProgrammeRead], int]:
    query = visible_programmes(principal).join(Period, Period.id == Programme.period_id)
    if canton is not None:
        query = query.where(Programme.canton == canton)
    if period is not None:
        query = query.where(Period.code == period)
    if status is not None:
        query = query.where(Programme.status == status)
    query = query.order_by(Period.first_year.desc(), Programme.canton, Programme.id)
    programmes, total = await paginate(session, query, page)
    periods = {p.id: p for p in (await session.scalars(select(Period))).all()}
    return [to_read(p, periods[p.period_id]) for p in programmes], total


async def create_programme(session: AsyncSession, principal: Principal, data: ProgrammeCreate) -> Programme:
    canton = str(data.canton)
    if not principal.can_edit_canton(canton):
        raise Forbidden(Msg("Only a canton editor of {canton} may create its programmes.", canton=canton))
    period = await get_period_by_code(session, data.period)
    duplicate = await session.scalar(
        select(Programme.id).where(Programme.canton == canton, Programme.period_id == period.id)
    )
    if duplicate:
        raise ProgrammeExists(
            Msg(
                "{canton} has a programme for {code} already: {duplicate}.",
                canton=canton,
                code=period.code,
                duplicate=duplicate,
            ),
            programme_id=str(duplicate),
        )
    programme = Programme(
        canton=canton,
        period_id=period.id,
        title=data.title,
        status=ProgrammeStatus.DRAFT,
        agreement_reference=data.agreement_reference,
        agreement_date=data.agreement_date,
        note=data.note,
        working_language=str(data.working_language or default_working_language(canton)),
    )
    session.add(programme)
    await session.flush()
    areas = (await session.scalars(select(FundingArea.id).where(FundingArea.period_id == period.id))).all()
    session.add_all(ProgrammeArea(programme_id=programme.id, funding_area_id=a, is_priority=False) for a in areas)
    await session.flush()
    return programme


async def update_programme(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID, data: ProgrammeUpdate, if_match: str | None
) -> Programme:
    programme = await get_visible_programme(session, principal, programme_id)
    principal.require_editor(programme.canton)
    check_version(programme.version, if_match)
    changes = data.model_dump(exclude_unset=True)
    if "status" in changes and changes["status"] is not None:
        current = ProgrammeStatus(programme.status)
        target = ProgrammeStatus(changes["status"])
        if target != current and target not in TRANSITIONS[current]:
            allowed = ", ".join(sorted(TRANSITIONS[current])) or "none"
            raise InvalidStatusTransition(
                Msg(
                    "A {current} programme cannot become {target}; allowed next: {allowed}.",
                    current=current,
                    target=target,
                    allowed=allowed,
                ),
                field=["body", "status"],
            )
    elif programme.status == ProgrammeStatus.CLOSED:
        raise ProgrammeClosed(Msg("The programme is closed; it can no longer change."))
    for key, value in changes.items():
        if key == "title" and value is None:
            raise InvalidInput(Msg("title cannot be null."), field=["body", "title"])
        if key in ("status", "working_language") and value is None:
            raise InvalidInput(Msg("{key} cannot be null.", key=key), field=["body", key])
        setattr(programme, key, str(value) if key in ("status", "working_language") else value)
    await session.flush()
    return programme


async def list_programme_areas(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID
) -> list[ProgrammeAreaRead]:
    programme = await get_visible_programme(session, principal, programme_id)
    rows = (
        await session.execute(
            select(ProgrammeArea, FundingArea)
            .join(FundingArea, FundingArea.id == ProgrammeArea.funding_area_id)
            .where(ProgrammeArea.programme_id == programme.id)
            .order_by(FundingArea.position)
        )
    ).all()
    return [
        ProgrammeAreaRead(
            programme_id=pa.programme_id,
            funding_area=area_service.to_read(fa),
            is_priority=pa.is_priority,
            version=pa.version,
        )
        for pa, fa in rows
    ]


async def get_visible_programme_area(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID, area_id: uuid.UUID
) -> tuple[ProgrammeArea, FundingArea]:
    programme = await get_visible_programme(session, principal, programme_id)
    pa = await session.get(ProgrammeArea, (programme.id, area_id))
    if pa is None:
        raise NotFound(
            Msg(
                "Funding area {area_id} is not an area of programme {programme_id}.",
                area_id=area_id,
                programme_id=programme_id,
            )
        )
    area = await session.get(FundingArea, area_id)
    assert area is not None
    return pa, area


async def mark_priority(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID,
    area_id: uuid.UUID,
    data: ProgrammeAreaUpdate,
    if_match: str | None,
) -> ProgrammeAreaRead:
    await get_editable_programme(session, principal, programme_id)
    pa, area = await get_visible_programme_area(session, principal, programme_id, area_id)
    check_version(pa.version, if_match)
    pa.is_priority = data.is_priority
    await session.flush()
    return ProgrammeAreaRead(
        programme_id=pa.programme_id,
        funding_area=area_service.to_read(area),
        is_priority=pa.is_priority,
        version=pa.version,
    )
