"""HTTP routes of expenditure authorisations (credits)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from funding.credit import service
from funding.credit.schemas import CreditCreate, CreditPage, CreditRead, CreditUpdate
from funding.upstream import ProgrammeDep
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.pagination import PageDep
from kit.problems import problem_responses

router = APIRouter(prefix="/v1/credits", tags=["credits"], responses=problem_responses(401, 422))


@router.get("", response_model=CreditPage, summary="List expenditure authorisations", responses=problem_responses(403))
async def list_credits(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    programme_id: Annotated[uuid.UUID | None, Query()] = None,
) -> CreditPage:
    """Expenditure authorisations (Ausgabenbewilligungen) of the caller's canton (SEM: every canton's), paged."""
    items, total = await service.list_credits(session, principal, page, programme_id)
    return CreditPage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "",
    response_model=CreditRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record an expenditure authorisation (e.g. the Landrat's decision)",
    responses=problem_responses(403, 503),
)
async def create_credit(
    data: CreditCreate, session: SessionDep, principal: PrincipalDep, programmes: ProgrammeDep, response: Response
) -> CreditRead:
    """Records an expenditure authorisation such as the Landrat's decision, with its amount in CHF and the decision's
    reference. Signed agreements are committed against it, never beyond it (409 `funding/credit-exceeded`)."""
    credit = await service.create_credit(session, principal, programmes, data)
    set_etag(response, credit.version)
    response.headers["Location"] = f"/v1/credits/{credit.id}"
    return await service.to_read(session, credit)


@router.get(
    "/{credit_id}", response_model=CreditRead, summary="A credit, used and left", responses=problem_responses(404)
)
async def get_credit(
    credit_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, response: Response
) -> CreditRead:
    """One expenditure authorisation with what signed agreements commit against it and what is left."""
    credit = await service.get_visible_credit(session, principal, credit_id)
    set_etag(response, credit.version)
    return await service.to_read(session, credit)


@router.patch(
    "/{credit_id}",
    response_model=CreditRead,
    summary="Correct a credit's record",
    responses=problem_responses(403, 404, 409, 412, 428),
)
async def update_credit(
    credit_id: uuid.UUID,
    data: CreditUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> CreditRead:
    """Corrects the record of an authorisation (reference, dates, amount), with the ETag read in `If-Match`; an amount
    below what is already committed is refused."""
    credit = await service.update_credit(session, principal, credit_id, data, if_match)
    set_etag(response, credit.version)
    return await service.to_read(session, credit)
