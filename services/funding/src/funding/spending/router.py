"""HTTP routes of actual spending and federal payments."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from funding.sources import Source
from funding.spending import service
from funding.spending.schemas import (
    FederalPaymentCreate,
    FederalPaymentPage,
    FederalPaymentRead,
    SpendingCreate,
    SpendingPage,
    SpendingRead,
    SpendingUpdate,
)
from funding.upstream import ProgrammeDep
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.pagination import PageDep
from kit.problems import problem_responses

router = APIRouter(tags=["spending"], responses=problem_responses(401, 422))
ProgrammeQuery = Annotated[uuid.UUID | None, Query()]
YearQuery = Annotated[int | None, Query(ge=2000, le=2100)]


@router.get(
    "/v1/spending", response_model=SpendingPage, summary="List actual spending", responses=problem_responses(403)
)
async def list_spending(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    programme_id: ProgrammeQuery = None,
    year: YearQuery = None,
    funding_area_id: Annotated[uuid.UUID | None, Query()] = None,
    source: Annotated[Source | None, Query()] = None,
) -> SpendingPage:
    """Actual spending per programme, year, funding area and source, paged and filtered."""
    items, total = await service.list_spending(session, principal, page, programme_id, year, funding_area_id, source)
    return SpendingPage(
        items=[service.to_read(s) for s in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/v1/spending",
    response_model=SpendingRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record actual spending for a year, funding area and source",
    responses=problem_responses(403, 409, 503),
)
async def create_spending(
    data: SpendingCreate, session: SessionDep, principal: PrincipalDep, programmes: ProgrammeDep, response: Response
) -> SpendingRead:
    """A canton editor records what was actually spent in a year, funding area and source (CHF decimal string);
    the matching check compares actual spending by source."""
    spending = await service.create_spending(session, principal, programmes, data)
    set_etag(response, spending.version)
    response.headers["Location"] = f"/v1/spending/{spending.id}"
    return service.to_read(spending)


@router.get(
    "/v1/spending/{spending_id}",
    response_model=SpendingRead,
    summary="Read a spending record",
    responses=problem_responses(404),
)
async def get_spending(
    spending_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, response: Response
) -> SpendingRead:
    """One spending record; its ETag is the version a correction sends in `If-Match`."""
    spending = await service.get_visible_spending(session, principal, spending_id)
    set_etag(response, spending.version)
    return service.to_read(spending)


@router.patch(
    "/v1/spending/{spending_id}",
    response_model=SpendingRead,
    summary="Correct a spending record",
    responses=problem_responses(403, 404, 412, 428),
)
async def update_spending(
    spending_id: uuid.UUID,
    data: SpendingUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> SpendingRead:
    """Corrects a spending record, with the ETag read in `If-Match`; the audit trail keeps the amount before."""
    spending = await service.update_spending(session, principal, spending_id, data, if_match)
    set_etag(response, spending.version)
    return service.to_read(spending)


@router.get(
    "/v1/federal-payments",
    response_model=FederalPaymentPage,
    summary="List federal payments received",
    responses=problem_responses(403),
)
async def list_payments(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    programme_id: ProgrammeQuery = None,
    year: YearQuery = None,
) -> FederalPaymentPage:
    """Federal payments SEM made to the canton for its programme, paged; canton users see their canton's."""
    items, total = await service.list_payments(session, principal, page, programme_id, year)
    return FederalPaymentPage(
        items=[service.payment_to_read(p) for p in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/v1/federal-payments",
    response_model=FederalPaymentRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a payment from SEM (SEM only)",
    responses=problem_responses(403, 503),
)
async def record_payment(
    data: FederalPaymentCreate, session: SessionDep, principal: PrincipalDep, programmes: ProgrammeDep
) -> FederalPaymentRead:
    """SEM records a payment it made to the canton (amount in CHF, date, year); canton and partner tokens get 403."""
    payment = await service.record_payment(session, principal, programmes, data)
    return service.payment_to_read(payment)
