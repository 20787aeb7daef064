"""HTTP routes of findings, recommendations, management responses and follow-up actions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from evaluation.clock import TodayDep
from evaluation.recommendation import actions, service
from evaluation.recommendation.schemas import (
    ActionCreate,
    ActionRead,
    ActionUpdate,
    FindingCreate,
    FindingRead,
    RecommendationCreate,
    RecommendationPage,
    RecommendationRead,
    ResponseWrite,
)
from evaluation.upstream import ProgrammesDep
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.pagination import PageDep
from kit.problems import problem_responses

router = APIRouter(tags=["recommendations"], responses=problem_responses(401, 422))
CHANGE = problem_responses(403, 404, 412, 428)


@router.get(
    "/v1/evaluations/{evaluation_id}/findings",
    response_model=list[FindingRead],
    summary="The findings of an evaluation",
    responses=problem_responses(404),
)
async def list_findings(evaluation_id: uuid.UUID, session: SessionDep, principal: PrincipalDep) -> list[FindingRead]:
    """The evaluation's findings in their numbered order."""
    return [service.finding_read(f) for f in await service.list_findings(session, principal, evaluation_id)]


@router.post(
    "/v1/evaluations/{evaluation_id}/findings",
    response_model=FindingRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a finding (numbered per evaluation)",
    responses=problem_responses(403, 404),
)
async def create_finding(
    evaluation_id: uuid.UUID, data: FindingCreate, session: SessionDep, principal: PrincipalDep
) -> FindingRead:
    """Records a finding of the evaluation; it gets the next number within the evaluation."""
    return service.finding_read(await service.create_finding(session, principal, evaluation_id, data))


@router.get("/v1/recommendations", response_model=RecommendationPage, summary="List recommendations")
async def list_recommendations(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    today: TodayDep,
    programme_id: Annotated[uuid.UUID | None, Query()] = None,
    addressee_partner_id: Annotated[uuid.UUID | None, Query()] = None,
    evaluation_id: Annotated[uuid.UUID | None, Query()] = None,
) -> RecommendationPage:
    """Canton roles see their canton's, SEM all, a partner only those addressed to it."""
    items, total = await service.list_recommendations(
        session, principal, page, programme_id, addressee_partner_id, evaluation_id
    )
    return RecommendationPage(
        items=[service.to_read(r, today) for r in items], total=total, limit=page.limit, offset=page.offset
    )


@router.post(
    "/v1/evaluations/{evaluation_id}/recommendations",
    response_model=RecommendationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a recommendation (numbered per evaluation) addressed to a partner or cantonal office",
    responses=problem_responses(403, 404, 503),
)
async def create_recommendation(
    evaluation_id: uuid.UUID,
    data: RecommendationCreate,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    today: TodayDep,
    response: Response,
) -> RecommendationRead:
    """Adds a recommendation to the evaluation, numbered within it, optionally based on a finding, addressed to a
    partner or a cantonal office, with a priority and the date its response is due."""
    rec = await service.create_recommendation(session, principal, programmes, evaluation_id, data, today)
    set_etag(response, rec.version)
    response.headers["Location"] = f"/v1/recommendations/{rec.id}"
    return service.to_read(rec, today)


@router.get(
    "/v1/recommendations/{recommendation_id}",
    response_model=RecommendationRead,
    summary="Read a recommendation",
    responses=problem_responses(404),
)
async def get_recommendation(
    recommendation_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, today: TodayDep, response: Response
) -> RecommendationRead:
    """One recommendation with its management response; a partner reads only those addressed to it."""
    rec = await service.get_visible_recommendation(session, principal, recommendation_id)
    set_etag(response, rec.version)
    return service.to_read(rec, today)


@router.put(
    "/v1/recommendations/{recommendation_id}/response",
    response_model=RecommendationRead,
    summary="Give the management response (accepted, partly, rejected with reasons)",
    responses=CHANGE,
)
async def respond(
    recommendation_id: uuid.UUID,
    data: ResponseWrite,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> RecommendationRead:
    """The canton's management response to a recommendation: accepted, partly accepted or rejected, with the reasons."""
    rec = await service.respond(session, principal, recommendation_id, data, if_match)
    set_etag(response, rec.version)
    return service.to_read(rec, today)


@router.get(
    "/v1/recommendations/{recommendation_id}/actions",
    response_model=list[ActionRead],
    summary="The follow-up actions of a recommendation",
    responses=problem_responses(404),
)
async def list_actions(
    recommendation_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, today: TodayDep
) -> list[ActionRead]:
    """The follow-up actions planned for the recommendation, with their status and due dates."""
    return [actions.to_read(a, today) for a in await actions.list_actions(session, principal, recommendation_id)]


@router.post(
    "/v1/recommendations/{recommendation_id}/actions",
    response_model=ActionRead,
    status_code=status.HTTP_201_CREATED,
    summary="Plan a follow-up action, linked to the measure, goal, indicator or budget line it changes",
    responses=problem_responses(403, 404, 503),
)
async def create_action(
    recommendation_id: uuid.UUID,
    data: ActionCreate,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    today: TodayDep,
    response: Response,
) -> ActionRead:
    """Plans a follow-up action with its due date, linked to the measure, goal, indicator or budget line it changes."""
    action = await actions.create_action(session, principal, programmes, recommendation_id, data)
    set_etag(response, action.version)
    return actions.to_read(action, today)


@router.patch(
    "/v1/actions/{action_id}", response_model=ActionRead, summary="Change a follow-up action", responses=CHANGE
)
async def update_action(
    action_id: uuid.UUID,
    data: ActionUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    today: TodayDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> ActionRead:
    """Changes a follow-up action or its status, with the ETag read in `If-Match`."""
    action = await actions.update_action(session, principal, action_id, data, if_match)
    set_etag(response, action.version)
    return actions.to_read(action, today)
