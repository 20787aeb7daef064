"""SEM's federal allocation and the ceiling it sets: IFK committed in signed agreements, and IFK paid by SEM, per
year never exceed what SEM allocated (AIG 58 para. 3, VIntA 16: the IFK is a capped credit under the programme
agreement). Checked under a lock on the allocation row, so two signings racing each other never together pass it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from funding.allocation.models import FederalAllocation, FederalAllocationYear
from funding.allocation.schemas import AllocationYearRead, FederalAllocationRead, FederalAllocationWrite
from funding.commitments import commitment_rows, sum_chf
from funding.common import values_of
from funding.funding_programme import service as programmes_service
from funding.problems import FederalAllocationExceeded, FederalAllocationMissing, SemDecides
from funding.sources import MATCHED_FEDERAL
from funding.spending.models import FederalPayment
from funding.upstream import ProgrammeService
from kit.auth import Principal
from kit.etag import check_version
from kit.i18n import Msg
from kit.problems import InvalidInput, NotFound

ZERO = Decimal("0.00")
IFK = str(MATCHED_FEDERAL)


async def lock(session: AsyncSession, programme_id: uuid.UUID) -> FederalAllocation | None:
    return await session.scalar(
        select(FederalAllocation)
        .where(FederalAllocation.programme_id == programme_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def allocated_years(session: AsyncSession, programme_id: uuid.UUID) -> dict[int, Decimal]:
    rows = await session.execute(
        select(FederalAllocationYear.year, FederalAllocationYear.amount).where(
            FederalAllocationYear.programme_id == programme_id
        )
    )
    return {year: amount for year, amount in rows}


async def ifk_committed(
    session: AsyncSession, programme_id: uuid.UUID, *, excluding: uuid.UUID | None = None
) -> dict[int, Decimal]:
    rows = commitment_rows(programme_id)
    query = select(rows.c.year, sum_chf(rows.c.amount)).where(rows.c.source == IFK).group_by(rows.c.year)
    if excluding is not None:
        query = query.where(rows.c.agreement_id != excluding)
    return {year: amount for year, amount in await session.execute(query)}


async def ifk_paid(session: AsyncSession, programme_id: uuid.UUID) -> dict[int, Decimal]:
    rows = await session.execute(
        select(FederalPayment.year, sum_chf(FederalPayment.amount))
        .where(FederalPayment.programme_id == programme_id, FederalPayment.source == IFK)
        .group_by(FederalPayment.year)
    )
    return {year: amount for year, amount in rows}


def _exceeded(what: str, year: int | None, allocated: Decimal, used: Decimal, adding: Decimal) -> None:
    if used + adding > allocated:
        when = Msg("for {year}", year=year) if year is not None else Msg("for the period")
        headroom = max(allocated - used, ZERO)
        raise FederalAllocationExceeded(
            Msg(
                "SEM allocated CHF {allocated} of IFK {when}; CHF {used} is {what}, so CHF {headroom} is left and "
                "this would exceed it by CHF {over}.",
                allocated=allocated,
                when=when,
                used=used,
                what=what,
                headroom=headroom,
                over=used + adding - allocated,
            ),
            year=year,
            allocation=str(allocated),
            committed=str(used),
            amount_over=str(used + adding - allocated),
            headroom=str(headroom),
        )


async def ensure_ifk_within_allocation(
    session: AsyncSession, programme_id: uuid.UUID, agreement_id: uuid.UUID, lines: Sequence[tuple[int, str, Decimal]]
) -> None:
    """Refuse signing lines that commit IFK beyond SEM's allocation (or before SEM recorded one)."""
    adding: dict[int, Decimal] = {}
    for year, source, amount in lines:
        if source == IFK and amount > 0:
            adding[year] = adding.get(year, ZERO) + amount
    if not adding:
        return
    allocation = await lock(session, programme_id)
    if allocation is None:
        raise FederalAllocationMissing(
            Msg(
                "No federal integration credit (IFK) can be committed before SEM records the programme's federal "
                "allocation ({path}, by SEM).",
                path="PUT /v1/programmes/{programme_id}/federal-allocation",
            ),
            programme_id=str(programme_id),
        )
    years = await allocated_years(session, programme_id)
    others = await ifk_committed(session, programme_id, excluding=agreement_id)
    for year in sorted(adding):
        _exceeded(Msg("committed"), year, years.get(year, ZERO), others.get(year, ZERO), adding[year])
    _exceeded(Msg("committed"), None, allocation.period_amount, sum(others.values(), ZERO), sum(adding.values(), ZERO))


async def ensure_payment_within_allocation(
    session: AsyncSession, programme_id: uuid.UUID, year: int, amount: Decimal
) -> None:
    """Refuse an IFK payment by SEM beyond the year's allocation."""
    allocation = await lock(session, programme_id)
    if allocation is None:
        raise FederalAllocationMissing(
            Msg("SEM records the programme's federal allocation before paying its federal integration credit (IFK)."),
            programme_id=str(programme_id),
        )
    years = await allocated_years(session, programme_id)
    paid = await ifk_paid(session, programme_id)
    _exceeded(Msg("paid"), year, years.get(year, ZERO), paid.get(year, ZERO), amount)


async def to_read(session: AsyncSession, allocation: FederalAllocation) -> FederalAllocationRead:
    years = await allocated_years(session, allocation.programme_id)
    committed = await ifk_committed(session, allocation.programme_id)
    paid = await ifk_paid(session, allocation.programme_id)
    total = sum(committed.values(), ZERO)
    return FederalAllocationRead(
        programme_id=allocation.programme_id,
        canton=allocation.canton,
        reference=allocation.reference,
        agreement_date=allocation.agreement_date,
        period_amount=allocation.period_amount,
        years=[
            AllocationYearRead(
                year=y,
                allocated=years.get(y, ZERO),
                committed=committed.get(y, ZERO),
                paid_by_sem=paid.get(y, ZERO),
                headroom=years.get(y, ZERO) - committed.get(y, ZERO),
            )
            for y in sorted({*years, *committed, *paid})
        ],
        committed=total,
        headroom=allocation.period_amount - total,
        recorded_by=allocation.recorded_by,
        illustrative=allocation.illustrative,
        source_note=allocation.source_note,
        version=allocation.version,
    )


async def get_visible_allocation(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID
) -> FederalAllocation:
    await programmes_service.get_visible_programme(session, principal, programme_id)
    allocation = await session.get(FederalAllocation, programme_id)
    if allocation is None:
        raise NotFound(
            Msg(
                "SEM has not recorded a federal allocation for programme {programme_id} yet.", programme_id=programme_id
            )
        )
    return allocation


def _check_years(data: FederalAllocationWrite, first: int, last: int) -> None:
    seen: set[int] = set()
    for i, item in enumerate(data.years):
        if not first <= item.year <= last:
            raise InvalidInput(
                Msg(
                    "Year {year} is outside the programme's years {first}–{last}.",
                    year=item.year,
                    first=first,
                    last=last,
                ),
                field=["body", "years", i, "year"],
            )
        if item.year in seen:
            raise InvalidInput(Msg("Year {year} is named twice.", year=item.year), field=["body", "years", i, "year"])
        seen.add(item.year)
    total = sum((item.amount for item in data.years), ZERO)
    if total > data.period_amount:
        raise InvalidInput(
            Msg(
                "The years add up to CHF {total}, above the period's CHF {period_amount}.",
                total=total,
                period_amount=data.period_amount,
            ),
            field=["body", "period_amount"],
        )


async def put_allocation(
    session: AsyncSession,
    principal: Principal,
    programmes: ProgrammeService,
    programme_id: uuid.UUID,
    data: FederalAllocationWrite,
    if_match: str | None,
) -> FederalAllocation:
    if not principal.is_sem:
        raise SemDecides(Msg("The federal allocation is SEM's, set in its programme agreement with the canton."))
    info = await programmes.require_programme(programme_id, ("path", "programme_id"))
    programme = await programmes_service.register(session, info)
    _check_years(data, programme.first_year, programme.last_year)
    allocation = await lock(session, programme_id)
    if allocation is not None:
        check_version(allocation.version, if_match)
    new_years = {item.year: item.amount for item in data.years}
    committed = await ifk_committed(session, programme_id)
    paid = await ifk_paid(session, programme_id)
    for year in sorted({*committed, *paid}):
        used = max(committed.get(year, ZERO), paid.get(year, ZERO))
        _exceeded(Msg("committed or paid"), year, new_years.get(year, ZERO), used, ZERO)
    _exceeded(Msg("committed"), None, data.period_amount, sum(committed.values(), ZERO), ZERO)
    values = values_of(data, exclude={"years"})
    if allocation is None:
        allocation = FederalAllocation(
            programme_id=programme_id, canton=programme.canton, recorded_by=principal.subject, **values
        )
        session.add(allocation)
    else:
        for key, value in values.items():
            setattr(allocation, key, value)
        allocation.recorded_by = principal.subject
        flag_modified(allocation, "reference")  # a new version even when only the years change
    await session.flush()
    rows = await session.scalars(
        select(FederalAllocationYear).where(FederalAllocationYear.programme_id == programme_id)
    )
    existing = {row.year: row for row in rows}
    for year, row in existing.items():
        if year not in new_years:
            await session.delete(row)
        elif row.amount != new_years[year]:
            row.amount = new_years[year]
    session.add_all(
        FederalAllocationYear(programme_id=programme_id, year=y, amount=a)
        for y, a in new_years.items()
        if y not in existing
    )
    await session.flush()
    return allocation
