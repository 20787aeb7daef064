"""Use cases of budget lines: plan, revise (a new revision row, never an overwrite), read with history."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from funding.budget.models import BudgetLine, BudgetRevision
from funding.budget.schemas import (
    BudgetLineCreate,
    BudgetLineDetail,
    BudgetLineRead,
    BudgetRevisionCreate,
    BudgetRevisionRead,
)
from funding.common import paged_rows
from funding.funding_programme import service as programmes_service
from funding.funding_programme.models import FundingProgramme
from funding.sources import Source
from funding.upstream import ProgrammeService
from kit.auth import Principal
from kit.etag import check_version
from kit.i18n import Msg
from kit.pagination import PageParams
from kit.problems import Conflict, Forbidden, NotFound

Original = aliased(BudgetRevision, name="original")
InForce = aliased(BudgetRevision, name="in_force")


def _with_amounts() -> Select[BudgetLine, Decimal, Decimal]:
    return (
        select(BudgetLine, Original.amount, InForce.amount)
        .join(Original, and_(Original.budget_line_id == BudgetLine.id, Original.number == 1))
        .join(InForce, and_(InForce.budget_line_id == BudgetLine.id, InForce.number == BudgetLine.current_revision))
    )


def to_read(line: BudgetLine, original: Decimal, in_force: Decimal) -> BudgetLineRead:
    return BudgetLineRead(
        id=line.id,
        programme_id=line.programme_id,
        year=line.year,
        funding_area_id=line.funding_area_id,
        source=Source(line.source),
        original=original,
        in_force=in_force,
        current_revision=line.current_revision,
        illustrative=line.illustrative,
        source_note=line.source_note,
        version=line.version,
    )


async def read_detail(session: AsyncSession, line: BudgetLine) -> BudgetLineDetail:
    revisions = (
        await session.scalars(
            select(BudgetRevision).where(BudgetRevision.budget_line_id == line.id).order_by(BudgetRevision.number)
        )
    ).all()
    base = to_read(line, revisions[0].amount, revisions[-1].amount)
    return BudgetLineDetail(
        **base.model_dump(),
        revisions=[
            BudgetRevisionRead(
                number=r.number, amount=r.amount, reason=r.reason, author=r.author, created_at=r.created_at
            )
            for r in revisions
        ],
    )


async def get_visible_line(session: AsyncSession, principal: Principal, line_id: uuid.UUID) -> BudgetLine:
    line = await session.get(BudgetLine, line_id)
    if line is None:
        raise NotFound(Msg("No budget line {line_id}.", line_id=line_id))
    programme = await session.get(FundingProgramme, line.programme_id)
    if programme is None or not principal.can_read_canton(programme.canton):
        raise NotFound(Msg("No budget line {line_id}.", line_id=line_id))
    return line


async def list_lines(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    filters: dict[str, Any],
) -> tuple[list[BudgetLineRead], int]:
    if principal.is_partner:
        raise Forbidden(Msg("Partners read their own agreements and disbursements, not budgets."))
    query = _with_amounts().join(FundingProgramme, FundingProgramme.id == BudgetLine.programme_id)
    if not principal.is_sem:
        query = query.where(FundingProgramme.canton == principal.canton)
    for key, value in filters.items():
        if value is not None:
            query = query.where(getattr(BudgetLine, key) == (str(value) if key == "source" else value))
    query = query.order_by(BudgetLine.year, BudgetLine.funding_area_id, BudgetLine.source, BudgetLine.id)
    rows, total = await paged_rows(session, query, page)
    return [to_read(line, orig, cur) for line, orig, cur in rows], total


async def create_line(
    session: AsyncSession, principal: Principal, programmes: ProgrammeService, data: BudgetLineCreate
) -> BudgetLine:
    programme = await programmes_service.checked_for_write(session, principal, programmes, data.programme_id)
    programmes_service.check_year(programme, data.year, ["body", "year"])
    await programmes.check_funding_areas(programme.id, [(data.funding_area_id, ("body", "funding_area_id"))])
    existing = await session.scalar(
        select(BudgetLine.id).where(
            BudgetLine.programme_id == programme.id,
            BudgetLine.year == data.year,
            BudgetLine.funding_area_id == data.funding_area_id,
            BudgetLine.source == str(data.source),
        )
    )
    if existing is not None:
        raise Conflict(
            Msg(
                "A budget line for {year}, this funding area and {source} exists "
                "already: {existing}; revise it instead.",
                year=data.year,
                source=data.source,
                existing=existing,
            ),
            budget_line_id=str(existing),
        )
    line = BudgetLine(
        programme_id=programme.id,
        year=data.year,
        funding_area_id=data.funding_area_id,
        source=str(data.source),
        current_revision=1,
        illustrative=data.illustrative,
        source_note=data.source_note,
    )
    session.add(line)
    await session.flush()
    session.add(
        BudgetRevision(
            budget_line_id=line.id, number=1, amount=data.amount, reason=data.reason, author=principal.subject
        )
    )
    await session.flush()
    return line


async def revise_line(
    session: AsyncSession,
    principal: Principal,
    line_id: uuid.UUID,
    data: BudgetRevisionCreate,
    if_match: str | None,
) -> BudgetLine:
    line = await get_visible_line(session, principal, line_id)
    await programmes_service.get_editable(session, principal, line.programme_id)
    check_version(line.version, if_match)
    number = line.current_revision + 1
    session.add(
        BudgetRevision(
            budget_line_id=line.id, number=number, amount=data.amount, reason=data.reason, author=principal.subject
        )
    )
    line.current_revision = number
    await session.flush()
    return line
