"""HTTP routes of disbursements."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Query, Response, status

from funding.disbursement import decisions, service
from funding.disbursement.schemas import (
    DisbursementApprove,
    DisbursementCreate,
    DisbursementPage,
    DisbursementPay,
    DisbursementRead,
    DisbursementReject,
    DisbursementStatus,
    DisbursementTotals,
    IdempotencyKeyHeader,
)
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.pagination import PageDep
from kit.problems import problem_responses

router = APIRouter(prefix="/v1/disbursements", tags=["disbursements"], responses=problem_responses(401, 422))
DECIDE = problem_responses(403, 404, 409, 412, 428)


@router.get("", response_model=DisbursementPage, summary="List the disbursements the caller may see")
async def list_disbursements(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    agreement_id: Annotated[uuid.UUID | None, Query()] = None,
    programme_id: Annotated[uuid.UUID | None, Query()] = None,
    status: Annotated[DisbursementStatus | None, Query()] = None,
) -> DisbursementPage:
    """Disbursements, paged and filtered by agreement, programme or status. A partner sees those on its own
    agreements only."""
    items, total = await service.list_disbursements(session, principal, page, agreement_id, programme_id, status)
    return DisbursementPage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/totals",
    response_model=DisbursementTotals,
    summary="Count and sum of the disbursements the caller may see, per agreement and status",
    description="The figures of `GET /v1/disbursements` without its rows: one SQL aggregate. A partner gets its "
    "own agreements only, canton staff their canton's, SEM every canton's; the filters narrow that.",
)
async def get_disbursement_totals(
    session: SessionDep,
    principal: PrincipalDep,
    agreement_id: Annotated[uuid.UUID | None, Query()] = None,
    programme_id: Annotated[uuid.UUID | None, Query()] = None,
    partner_id: Annotated[uuid.UUID | None, Query()] = None,
) -> DisbursementTotals:
    return await service.totals_by_agreement(session, principal, agreement_id, programme_id, partner_id)


@router.post(
    "",
    response_model=DisbursementRead,
    status_code=status.HTTP_201_CREATED,
    summary="Request a disbursement (partner on its own agreements, or a canton editor); idempotent",
    responses={
        200: {"model": DisbursementRead, "description": "A retry: the disbursement made the first time."},
        **problem_responses(403, 409),
    },
)
async def request_disbursement(
    data: DisbursementCreate,
    idempotency_key: IdempotencyKeyHeader,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
) -> DisbursementRead:
    """Requests a payment under a signed agreement (a partner on its own agreements, or a canton editor). The amount
    must fit what the agreement grants for the year. `Idempotency-Key` makes a repeated request answer the first."""
    disbursement, created = await service.request(session, principal, data, idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    set_etag(response, disbursement.version)
    response.headers["Location"] = f"/v1/disbursements/{disbursement.id}"
    return await service.to_read(session, disbursement)


@router.get(
    "/{disbursement_id}",
    response_model=DisbursementRead,
    summary="Read a disbursement",
    responses=problem_responses(404),
)
async def get_disbursement(
    disbursement_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, response: Response
) -> DisbursementRead:
    """One disbursement with its status history: requested, approved or rejected, paid."""
    disbursement = await service.get_visible_disbursement(session, principal, disbursement_id)
    set_etag(response, disbursement.version)
    return await service.to_read(session, disbursement)


@router.post(
    "/{disbursement_id}/approve",
    response_model=DisbursementRead,
    summary="Approve (four eyes: not by whoever requested it), allocating the amount to the agreement's lines",
    description="The amount goes onto the lines the body names, or the line the request named, or else onto the "
    "year's lines in proportion to what is left on each (largest remainder). No line is ever disbursed beyond what "
    "it grants: 409 `funding/line-exceeded` with the line and its headroom.",
    responses=DECIDE,
)
async def approve(
    disbursement_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    data: Annotated[DisbursementApprove | None, Body()] = None,
    if_match: IfMatchHeader = None,
) -> DisbursementRead:
    disbursement = await decisions.approve(session, principal, disbursement_id, data or DisbursementApprove(), if_match)
    set_etag(response, disbursement.version)
    return await service.to_read(session, disbursement)


@router.post("/{disbursement_id}/reject", response_model=DisbursementRead, summary="Reject", responses=DECIDE)
async def reject(
    disbursement_id: uuid.UUID,
    data: DisbursementReject,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> DisbursementRead:
    """A canton editor rejects a requested disbursement, with the reason; it will not be paid."""
    disbursement = await decisions.reject(session, principal, disbursement_id, data, if_match)
    set_etag(response, disbursement.version)
    return await service.to_read(session, disbursement)


@router.post(
    "/{disbursement_id}/pay",
    response_model=DisbursementRead,
    summary="Record the payment (a third person: neither the requester nor the approver)",
    responses=DECIDE,
)
async def pay(
    disbursement_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    data: Annotated[DisbursementPay | None, Body()] = None,
    if_match: IfMatchHeader = None,
) -> DisbursementRead:
    """Records that an approved disbursement was paid. Four eyes and a third: the person recording the payment is
    neither the one who requested nor the one who approved it."""
    disbursement = await decisions.pay(session, principal, disbursement_id, data or DisbursementPay(), if_match)
    set_etag(response, disbursement.version)
    return await service.to_read(session, disbursement)
