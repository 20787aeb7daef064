"""HTTP routes of service agreements and their versions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from funding.agreement import reading, service, signing
from funding.agreement.schemas import (
    AgreementAmend,
    AgreementCreate,
    AgreementPage,
    AgreementRead,
    AgreementStatus,
    AgreementVersionRead,
)
from funding.upstream import ProgrammeDep
from funding.warning import service as warning_service
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.pagination import PageDep
from kit.problems import problem_responses

router = APIRouter(prefix="/v1/agreements", tags=["agreements"], responses=problem_responses(401, 422))
CHANGE = problem_responses(403, 404, 409, 412, 428)


@router.get("", response_model=AgreementPage, summary="List the agreements the caller may see (a partner: its own)")
async def list_agreements(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    programme_id: Annotated[uuid.UUID | None, Query()] = None,
    partner_id: Annotated[uuid.UUID | None, Query()] = None,
    status: Annotated[AgreementStatus | None, Query()] = None,
) -> AgreementPage:
    """Service agreements (Leistungsvereinbarungen), paged, filtered by programme, partner or status. Canton users see
    their canton's, SEM every canton's, a partner only its own."""
    items, total = await service.list_agreements(session, principal, page, programme_id, partner_id, status)
    return AgreementPage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "",
    response_model=AgreementRead,
    status_code=status.HTTP_201_CREATED,
    summary="Draft an agreement with a partner (version 1)",
    responses=problem_responses(403, 503),
)
async def create_agreement(
    data: AgreementCreate, session: SessionDep, principal: PrincipalDep, programmes: ProgrammeDep, response: Response
) -> AgreementRead:
    """A canton editor drafts an agreement with a partner for a programme of its canton: the amounts granted per year
    and funding source as CHF decimal strings. Signing it commits the money."""
    agreement = await service.create_agreement(session, principal, programmes, data)
    set_etag(response, agreement.version)
    response.headers["Location"] = f"/v1/agreements/{agreement.id}"
    return await service.read_agreement(session, agreement)


@router.get(
    "/{agreement_id}", response_model=AgreementRead, summary="Read an agreement", responses=problem_responses(404)
)
async def get_agreement(
    agreement_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, response: Response
) -> AgreementRead:
    """One agreement in its current version, with its amounts per year and source and what was disbursed on it."""
    agreement = await reading.read_visible_agreement(session, principal, agreement_id)
    set_etag(response, agreement.version)
    return agreement


@router.get(
    "/{agreement_id}/versions",
    response_model=list[AgreementVersionRead],
    summary="Every version of an agreement, as written and signed",
    responses=problem_responses(404),
)
async def list_versions(
    agreement_id: uuid.UUID, session: SessionDep, principal: PrincipalDep
) -> list[AgreementVersionRead]:
    """Every version of the agreement, oldest first, as written and as signed; a signed version never changes."""
    agreement = await service.get_visible_agreement(session, principal, agreement_id)
    return await service.list_versions(session, agreement)


@router.post(
    "/{agreement_id}/versions",
    response_model=AgreementRead,
    status_code=status.HTTP_201_CREATED,
    summary="Amend: a new version, to be signed; earlier versions stay as they were",
    responses={**CHANGE, **problem_responses(503)},
)
async def amend_agreement(
    agreement_id: uuid.UUID,
    data: AgreementAmend,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammeDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> AgreementRead:
    """Writes a new version of the agreement (new amounts or term) to be signed; the signed versions before it stay as
    they were. Send the ETag read in `If-Match`."""
    agreement = await service.amend_agreement(session, principal, programmes, agreement_id, data, if_match)
    set_etag(response, agreement.version)
    return await service.read_agreement(session, agreement)


@router.post(
    "/{agreement_id}/sign",
    response_model=AgreementRead,
    summary="Sign the current version; refused when it would exceed a credit",
    description="draft → signed, or sign a signed agreement's amendment. Refused with 409 `funding/credit-exceeded` "
    "(credit_id, amount_over, headroom) when the canton's commitments would pass an expenditure authorisation, and "
    "with 409 `funding/agreement-amount-exceeded` or `funding/line-exceeded` when an amendment grants a year or a line "
    "less than is already disbursed, with 409 `funding/federal-allocation-exceeded` (allocation, committed, "
    "amount_over, headroom) when IFK committed in a year would pass SEM's allocation and 409 "
    "`funding/federal-allocation-missing` before SEM recorded one. Signing that leaves a year's committed matching "
    "unmet (or a commitment above the plan in force) is allowed and answers `warnings`.",
    responses=CHANGE,
)
async def sign_agreement(
    agreement_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> AgreementRead:
    agreement = await signing.sign(session, principal, agreement_id, if_match)
    set_etag(response, agreement.version)
    read = await service.read_agreement(session, agreement)
    years = {line.year for line in read.current.lines}
    read.warnings = await warning_service.of_years(session, agreement.programme_id, years)
    return read


@router.post(
    "/{agreement_id}/terminate",
    response_model=AgreementRead,
    summary="End a signed agreement early; only what was approved or paid stays committed",
    responses=CHANGE,
)
async def terminate_agreement(
    agreement_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> AgreementRead:
    """Ends a signed service agreement before its term. Disbursements already approved or paid stay committed; what
    was granted beyond them is released from the credit and the matching check."""
    agreement = await signing.finish(session, principal, agreement_id, if_match, AgreementStatus.TERMINATED)
    set_etag(response, agreement.version)
    return await service.read_agreement(session, agreement)


@router.post(
    "/{agreement_id}/close", response_model=AgreementRead, summary="Close a fulfilled agreement", responses=CHANGE
)
async def close_agreement(
    agreement_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> AgreementRead:
    """Marks a fulfilled agreement closed, with the ETag read in `If-Match`."""
    agreement = await signing.finish(session, principal, agreement_id, if_match, AgreementStatus.CLOSED)
    set_etag(response, agreement.version)
    return await service.read_agreement(session, agreement)
