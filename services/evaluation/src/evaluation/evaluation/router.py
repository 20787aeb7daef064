"""HTTP routes of evaluations and studies."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from evaluation.evaluation import service
from evaluation.evaluation.schemas import (
    EvaluationCreate,
    EvaluationPage,
    EvaluationRead,
    EvaluationStatus,
    EvaluationUpdate,
)
from evaluation.upstream import ProgrammesDep
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.pagination import PageDep
from kit.problems import problem_responses

router = APIRouter(prefix="/v1/evaluations", tags=["evaluations"], responses=problem_responses(401, 422))


@router.get("", response_model=EvaluationPage, summary="List the evaluations and studies the caller may see")
async def list_evaluations(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    programme_id: Annotated[uuid.UUID | None, Query()] = None,
    status: Annotated[EvaluationStatus | None, Query()] = None,
    partner_id: Annotated[
        uuid.UUID | None,
        Query(
            description="Only the evaluations concerning this partner: it is named in their subject, or delivers "
            "a measure they look at (within what the caller may see)."
        ),
    ] = None,
) -> EvaluationPage:
    """Canton roles see their canton's, SEM all, a partner those whose subject includes it."""
    items, total = await service.list_evaluations(session, principal, page, programme_id, status, partner_id)
    return EvaluationPage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "",
    response_model=EvaluationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Plan an evaluation or study (status `planned`)",
    responses=problem_responses(403, 503),
)
async def create_evaluation(
    data: EvaluationCreate, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep, response: Response
) -> EvaluationRead:
    """A canton editor plans an evaluation or study of its programme, with its subject and what it concerns; it starts
    with status `planned`."""
    evaluation = await service.create_evaluation(session, principal, programmes, data)
    set_etag(response, evaluation.version)
    response.headers["Location"] = f"/v1/evaluations/{evaluation.id}"
    return await service.read_evaluation(session, evaluation)


@router.get(
    "/{evaluation_id}", response_model=EvaluationRead, summary="Read an evaluation", responses=problem_responses(404)
)
async def get_evaluation(
    evaluation_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, response: Response
) -> EvaluationRead:
    """One evaluation with its status and schedule; a partner sees only evaluations that concern it."""
    evaluation = await service.get_visible_evaluation(session, principal, evaluation_id)
    set_etag(response, evaluation.version)
    return await service.read_evaluation(session, evaluation)


@router.patch(
    "/{evaluation_id}",
    response_model=EvaluationRead,
    summary="Change an evaluation, or move it one step along its status workflow",
    responses=problem_responses(403, 404, 412, 428, 503),
)
async def update_evaluation(
    evaluation_id: uuid.UUID,
    data: EvaluationUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> EvaluationRead:
    """Changes the fields sent, or moves the status one step along its workflow; a step the workflow does not allow is
    refused with a problem naming it. Send the ETag read in `If-Match`."""
    evaluation = await service.update_evaluation(session, principal, programmes, evaluation_id, data, if_match)
    set_etag(response, evaluation.version)
    return await service.read_evaluation(session, evaluation)
