"""HTTP routes of budget lines and their revisions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from funding.budget import service
from funding.budget.schemas import BudgetLineCreate, BudgetLineDetail, BudgetLinePage, BudgetRevisionCreate
from funding.sources import Source
from funding.upstream import ProgrammeDep
from funding.warning import service as warning_service
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.pagination import PageDep
from kit.problems import problem_responses

router = APIRouter(prefix="/v1/budget-lines", tags=["budget"], responses=problem_responses(401, 422))


@router.get("", response_model=BudgetLinePage, summary="List budget lines", responses=problem_responses(403))
async def list_lines(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    programme_id: Annotated[uuid.UUID | None, Query()] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    funding_area_id: Annotated[uuid.UUID | None, Query()] = None,
    source: Annotated[Source | None, Query()] = None,
) -> BudgetLinePage:
    """Budget lines (programme × funding area × source × year) with the plan in force, paged and filtered."""
    filters = {"programme_id": programme_id, "year": year, "funding_area_id": funding_area_id, "source": source}
    items, total = await service.list_lines(session, principal, page, filters)
    return BudgetLinePage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "",
    response_model=BudgetLineDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Plan an amount (the original plan, revision 1)",
    responses=problem_responses(403, 409, 503),
)
async def create_line(
    data: BudgetLineCreate, session: SessionDep, principal: PrincipalDep, programmes: ProgrammeDep, response: Response
) -> BudgetLineDetail:
    """A canton editor plans an amount for a programme, funding area, source and year (CHF decimal string); it becomes
    revision 1, the original plan SEM compares against."""
    line = await service.create_line(session, principal, programmes, data)
    set_etag(response, line.version)
    response.headers["Location"] = f"/v1/budget-lines/{line.id}"
    detail = await service.read_detail(session, line)
    detail.warnings = await warning_service.of_years(session, line.programme_id, [line.year])
    return detail


@router.get(
    "/{line_id}",
    response_model=BudgetLineDetail,
    summary="A budget line with every revision",
    responses=problem_responses(404),
)
async def get_line(
    line_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, response: Response
) -> BudgetLineDetail:
    """One budget line with every revision, the original plan first and the one in force last."""
    line = await service.get_visible_line(session, principal, line_id)
    set_etag(response, line.version)
    return await service.read_detail(session, line)


@router.post(
    "/{line_id}/revisions",
    response_model=BudgetLineDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Revise the plan: a new revision becomes the plan in force; earlier ones stay",
    responses=problem_responses(403, 404, 412, 428),
)
async def revise_line(
    line_id: uuid.UUID,
    data: BudgetRevisionCreate,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> BudgetLineDetail:
    """Adds a revision with a new amount and its reason; it becomes the plan in force, the earlier revisions stay for
    the comparison with the original plan. Send the ETag read in `If-Match`."""
    line = await service.revise_line(session, principal, line_id, data, if_match)
    set_etag(response, line.version)
    detail = await service.read_detail(session, line)
    detail.warnings = await warning_service.of_years(session, line.programme_id, [line.year])
    return detail
