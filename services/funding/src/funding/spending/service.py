"""Use cases of actual spending (canton editors) and federal payments (recorded by SEM)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from funding.allocation.service import ensure_payment_within_allocation
from funding.common import values_of
from funding.funding_programme import service as programmes_service
from funding.funding_programme.models import FundingProgramme
from funding.sources import FEDERAL_SOURCES, Source
from funding.spending.models import ActualSpending, FederalPayment
from funding.spending.schemas import (
    FederalPaymentCreate,
    FederalPaymentRead,
    SpendingCreate,
    SpendingRead,
    SpendingUpdate,
)
from funding.upstream import ProgrammeService
from kit.auth import Principal
from kit.etag import check_version
from kit.i18n import Msg
from kit.pagination import PageParams, paginate
from kit.problems import Conflict, Forbidden, InvalidInput, NotFound

CARRY_OVER_YEARS = 2


def to_read(spending: ActualSpending) -> SpendingRead:
    return SpendingRead.model_validate(spending, from_attributes=True)


def payment_to_read(payment: FederalPayment) -> FederalPaymentRead:
    return FederalPaymentRead.model_validate(payment, from_attributes=True)


async def list_spending(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    programme_id: uuid.UUID | None,
    year: int | None,
    funding_area_id: uuid.UUID | None = None,
    source: Source | None = None,
) -> tuple[list[ActualSpending], int]:
    query = select(ActualSpending).where(
        ActualSpending.programme_id.in_(programmes_service.visible_programme_ids(principal))
    )
    if programme_id is not None:
        query = query.where(ActualSpending.programme_id == programme_id)
    if year is not None:
        query = query.where(ActualSpending.year == year)
    if funding_area_id is not None:
        query = query.where(ActualSpending.funding_area_id == funding_area_id)
    if source is not None:
        query = query.where(ActualSpending.source == str(source))
    order = (ActualSpending.year, ActualSpending.funding_area_id, ActualSpending.source, ActualSpending.id)
    return await paginate(session, query.order_by(*order), page)


async def get_visible_spending(session: AsyncSession, principal: Principal, spending_id: uuid.UUID) -> ActualSpending:
    spending = await session.get(ActualSpending, spending_id)
    if spending is not None:
        programme = await session.get(FundingProgramme, spending.programme_id)
        if programme is not None and principal.can_read_canton(programme.canton):
            return spending
    raise NotFound(Msg("No spending record {spending_id}.", spending_id=spending_id))


async def create_spending(
    session: AsyncSession, principal: Principal, programmes: ProgrammeService, data: SpendingCreate
) -> ActualSpending:
    programme = await programmes_service.checked_for_write(session, principal, programmes, data.programme_id)
    programmes_service.check_year(programme, data.year, ["body", "year"], carry_over=CARRY_OVER_YEARS)
    await programmes.check_funding_areas(programme.id, [(data.funding_area_id, ("body", "funding_area_id"))])
    existing = await session.scalar(
        select(ActualSpending.id).where(
            ActualSpending.programme_id == programme.id,
            ActualSpending.year == data.year,
            ActualSpending.funding_area_id == data.funding_area_id,
            ActualSpending.source == str(data.source),
        )
    )
    if existing is not None:
        raise Conflict(
            Msg(
                "Spending for this year, area and source is recorded already: {existing}; change that.",
                existing=existing,
            ),
            spending_id=str(existing),
        )
    values = values_of(data)
    values["source"] = str(data.source)
    spending = ActualSpending(**values, recorded_by=principal.subject)
    session.add(spending)
    await session.flush()
    return spending


async def update_spending(
    session: AsyncSession, principal: Principal, spending_id: uuid.UUID, data: SpendingUpdate, if_match: str | None
) -> ActualSpending:
    spending = await get_visible_spending(session, principal, spending_id)
    await programmes_service.get_editable(session, principal, spending.programme_id)
    check_version(spending.version, if_match)
    changes = values_of(data, exclude_unset=True)
    if "amount" in changes and changes["amount"] is None:
        raise InvalidInput(Msg("amount cannot be null."), field=["body", "amount"])
    for key, value in changes.items():
        setattr(spending, key, value)
    spending.recorded_by = principal.subject
    await session.flush()
    return spending


async def list_payments(
    session: AsyncSession, principal: Principal, page: PageParams, programme_id: uuid.UUID | None, year: int | None
) -> tuple[list[FederalPayment], int]:
    query = select(FederalPayment).where(
        FederalPayment.programme_id.in_(programmes_service.visible_programme_ids(principal))
    )
    if programme_id is not None:
        query = query.where(FederalPayment.programme_id == programme_id)
    if year is not None:
        query = query.where(FederalPayment.year == year)
    return await paginate(session, query.order_by(FederalPayment.value_date, FederalPayment.id), page)


async def record_payment(
    session: AsyncSession, principal: Principal, programmes: ProgrammeService, data: FederalPaymentCreate
) -> FederalPayment:
    if not principal.is_sem:
        raise Forbidden(Msg("Only SEM records federal payments."))
    if data.source not in FEDERAL_SOURCES:
        raise InvalidInput(Msg("{source} is not a federal source.", source=data.source), field=["body", "source"])
    info = await programmes.require_programme(data.programme_id)
    programme = await programmes_service.register(session, info)
    programmes_service.check_year(programme, data.year, ["body", "year"])
    if data.source == Source.FEDERAL_INTEGRATION_CREDIT:
        await ensure_payment_within_allocation(session, programme.id, data.year, data.amount)
    values = values_of(data)
    values["source"] = str(data.source)
    payment = FederalPayment(**values, canton=programme.canton, recorded_by=principal.subject)
    session.add(payment)
    await session.flush()
    return payment
