"""The plan as the grid sees it: the programme's years and funding areas (German names, from the programme
service), every budget line's original and in-force amount and revision, and the programme's credits.

The plan's version is a fingerprint of every budget line's id and revision number: any revision or new line
changes it.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from funding.budget.models import BudgetLine, BudgetRevision
from funding.credit.models import Credit, CreditSource
from funding.funding_programme import service as programmes_service
from funding.funding_programme.models import FundingProgramme
from funding.sources import Source
from funding.upstream import ProgrammeService
from kit.auth import Principal
from kit.i18n import Msg
from kit.problems import Forbidden, InvalidInput, NotFound
from kit.programme_reader import FundingArea

Key = tuple[int, uuid.UUID, Source]
Original = aliased(BudgetRevision, name="original")
InForce = aliased(BudgetRevision, name="in_force")


@dataclass(frozen=True)
class Current:
    line_id: uuid.UUID
    revision: int
    version: int
    original: Decimal
    in_force: Decimal


@dataclass
class Plan:
    programme_id: uuid.UUID
    canton: str
    first_year: int
    last_year: int
    third_parties_count: bool
    areas: list[FundingArea]
    lines: dict[Key, Current]
    credits: list[tuple[Credit, list[Source]]] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def version(self) -> str:
        digest = hashlib.sha256()
        for current in sorted(self.lines.values(), key=lambda c: str(c.line_id)):
            digest.update(f"{current.line_id}:{current.revision};".encode())
        return "g-" + digest.hexdigest()[:24]

    def area_name(self, area_id: uuid.UUID, lang: str | None = None) -> str:
        return next((a.name_in(lang) for a in self.areas if a.id == area_id), str(area_id))


@dataclass(frozen=True)
class Proposal:
    """One amount a grid proposes: where it was found (`Budget!E7`, `lines[3]`), for which line, how much."""

    cell: str
    key: Key
    amount: Decimal | None


async def _areas(programmes: ProgrammeService, programme_id: uuid.UUID) -> list[FundingArea]:
    return sorted(await programmes.funding_areas(programme_id), key=lambda a: (a.position, a.name))


async def _programme(
    session: AsyncSession, principal: Principal, programmes: ProgrammeService, programme_id: uuid.UUID, write: bool
) -> FundingProgramme:
    if principal.is_partner:
        raise Forbidden(Msg("Partners read their own agreements and disbursements, not budgets."))
    if write:
        return await programmes_service.checked_for_write(session, principal, programmes, programme_id)
    programme = await session.get(FundingProgramme, programme_id)
    if programme is None:
        try:
            info = await programmes.require_programme(programme_id, ("path", "programme_id"))
        except InvalidInput as exc:
            raise NotFound(Msg("No programme {programme_id}.", programme_id=programme_id)) from exc
        if not principal.can_read_canton(info.canton):
            raise NotFound(Msg("No programme {programme_id}.", programme_id=programme_id))
        return FundingProgramme(id=info.id, canton=info.canton, first_year=info.first_year, last_year=info.last_year)
    if not principal.can_read_canton(programme.canton):
        raise NotFound(Msg("No programme {programme_id}.", programme_id=programme_id))
    return programme


async def load_plan(
    session: AsyncSession,
    principal: Principal,
    programmes: ProgrammeService,
    programme_id: uuid.UUID,
    *,
    write: bool = False,
) -> Plan:
    programme = await _programme(session, principal, programmes, programme_id, write)
    plan = Plan(
        programme_id=programme_id,
        canton=programme.canton,
        first_year=programme.first_year,
        last_year=programme.last_year,
        third_parties_count=bool(programme.third_parties_count_toward_match),
        areas=await _areas(programmes, programme_id),
        lines=await lines_of(session, programme_id),
    )
    credits = (await session.scalars(select(Credit).where(Credit.programme_id == programme_id))).all()
    for credit in sorted(credits, key=lambda c: (c.decision_date, str(c.id))):
        sources = await session.scalars(select(CreditSource.source).where(CreditSource.credit_id == credit.id))
        plan.credits.append((credit, sorted(Source(s) for s in sources)))
    return plan


async def lines_of(session: AsyncSession, programme_id: uuid.UUID) -> dict[Key, Current]:
    rows = await session.execute(
        select(BudgetLine, Original.amount, InForce.amount)
        .join(Original, and_(Original.budget_line_id == BudgetLine.id, Original.number == 1))
        .join(InForce, and_(InForce.budget_line_id == BudgetLine.id, InForce.number == BudgetLine.current_revision))
        .where(BudgetLine.programme_id == programme_id)
    )
    return {
        (line.year, line.funding_area_id, Source(line.source)): Current(
            line.id, line.current_revision, line.version, original, in_force
        )
        for line, original, in_force in rows
    }
