"""HTTP routes of partner organisations."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.pagination import PageDep
from kit.problems import problem_responses
from programme.partner import service
from programme.partner.schemas import PartnerCreate, PartnerKind, PartnerPage, PartnerRead, PartnerUpdate
from programme.programme.schemas import Canton

router = APIRouter(prefix="/v1/partners", tags=["partners"], responses=problem_responses(401, 422))


@router.get("", response_model=PartnerPage, summary="List partner organisations the caller may see")
async def list_partners(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    canton: Annotated[Canton | None, Query()] = None,
    kind: Annotated[PartnerKind | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the name or short name.")] = None,
) -> PartnerPage:
    """Partner organisations, paged. Canton users and SEM see every partner; a partner token sees its own
    organisation only."""
    items, total = await service.list_partners(session, principal, page, str(canton) if canton else None, kind, q)
    return PartnerPage(
        items=[service.to_read(p) for p in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "",
    response_model=PartnerRead,
    status_code=status.HTTP_201_CREATED,
    summary="Register a partner organisation",
    responses=problem_responses(403, 409),
)
async def create_partner(
    data: PartnerCreate, session: SessionDep, principal: PrincipalDep, response: Response
) -> PartnerRead:
    """A canton editor registers an organisation that delivers measures. Its slug (`ald`, `srk-bl`) and its UID are
    unique: a second registration is a 409 naming the partner that has them."""
    partner = await service.create_partner(session, principal, data)
    set_etag(response, partner.version)
    response.headers["Location"] = f"/v1/partners/{partner.id}"
    return service.to_read(partner)


@router.get("/{partner_id}", response_model=PartnerRead, summary="Read a partner", responses=problem_responses(404))
async def get_partner(
    partner_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, response: Response
) -> PartnerRead:
    """One partner organisation by id; a partner may read only itself (any other id is a 404)."""
    partner = await service.get_visible_partner(session, principal, partner_id)
    set_etag(response, partner.version)
    return service.to_read(partner)


@router.patch(
    "/{partner_id}",
    response_model=PartnerRead,
    summary="Change a partner's details",
    responses=problem_responses(403, 404, 409, 412, 428),
)
async def update_partner(
    partner_id: uuid.UUID,
    data: PartnerUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> PartnerRead:
    """Changes the partner's name, contact or status, with the ETag read in `If-Match`."""
    partner = await service.update_partner(session, principal, partner_id, data, if_match)
    set_etag(response, partner.version)
    return service.to_read(partner)
