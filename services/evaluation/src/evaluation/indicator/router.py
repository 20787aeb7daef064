"""HTTP routes of indicators, their targets, the rules between them, and SEM's national goals."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from evaluation.indicator import service
from evaluation.indicator.schemas import (
    IndicatorCreate,
    IndicatorRead,
    IndicatorUpdate,
    NationalGoalRead,
    RuleCreate,
    RuleRead,
    TargetRead,
    TargetWrite,
)
from evaluation.upstream import ProgrammesDep
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.problems import problem_responses

router = APIRouter(tags=["indicators"], responses=problem_responses(401, 422))
CHANGE = problem_responses(403, 404, 409, 412, 428, 503)


@router.get("/v1/national-goals", response_model=list[NationalGoalRead], summary="SEM's national goals")
async def list_national_goals(session: SessionDep, principal: PrincipalDep) -> list[NationalGoalRead]:
    """SEM's national goals, to which the cantons' indicators can report."""
    return [
        NationalGoalRead.model_validate(g, from_attributes=True) for g in await service.list_national_goals(session)
    ]


@router.get(
    "/v1/indicators", response_model=list[IndicatorRead], summary="List indicators", responses=problem_responses(503)
)
async def list_indicators(
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    programme_id: Annotated[
        uuid.UUID | None, Query(description="The programme's indicators and the national ones.")
    ] = None,
    measure_id: Annotated[uuid.UUID | None, Query()] = None,
    goal_id: Annotated[uuid.UUID | None, Query()] = None,
    national_goal_id: Annotated[uuid.UUID | None, Query()] = None,
) -> list[IndicatorRead]:
    """Canton roles see their canton's and the national ones, SEM all, a partner those of the measures it
    delivers."""
    indicators = await service.list_indicators(
        session, principal, programmes, programme_id, measure_id, goal_id, national_goal_id
    )
    return await service.listed(session, indicators)


@router.post(
    "/v1/indicators",
    response_model=IndicatorRead,
    status_code=status.HTTP_201_CREATED,
    summary="Define an indicator of a programme's goal or measure (canton), or a national one (SEM)",
    responses=problem_responses(403, 409, 503),
)
async def create_indicator(
    data: IndicatorCreate, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep, response: Response
) -> IndicatorRead:
    """A canton editor defines an indicator of one of its programme's goals or measures (unit, aggregation over years,
    breakdowns); SEM defines national ones."""
    indicator = await service.create_indicator(session, principal, programmes, data)
    set_etag(response, indicator.version)
    response.headers["Location"] = f"/v1/indicators/{indicator.id}"
    return service.to_read(indicator)


@router.get(
    "/v1/indicators/{indicator_id}",
    response_model=IndicatorRead,
    summary="Read an indicator",
    responses=problem_responses(404, 503),
)
async def get_indicator(
    indicator_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep, response: Response
) -> IndicatorRead:
    """One indicator with its unit, aggregation and the goal or measure it measures."""
    indicator = await service.get_visible_indicator(session, principal, programmes, indicator_id)
    set_etag(response, indicator.version)
    return service.to_read(indicator)


@router.patch(
    "/v1/indicators/{indicator_id}", response_model=IndicatorRead, summary="Change an indicator", responses=CHANGE
)
async def update_indicator(
    indicator_id: uuid.UUID,
    data: IndicatorUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> IndicatorRead:
    """Changes the indicator's texts or settings, with the ETag read in `If-Match`."""
    indicator = await service.update_indicator(session, principal, programmes, indicator_id, data, if_match)
    set_etag(response, indicator.version)
    return service.to_read(indicator)


@router.get(
    "/v1/indicators/{indicator_id}/targets",
    response_model=list[TargetRead],
    summary="The indicator's target per year",
    responses=problem_responses(404, 503),
)
async def list_targets(
    indicator_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep
) -> list[TargetRead]:
    """The indicator's target for each programme year it has one."""
    targets = await service.list_targets(session, principal, programmes, indicator_id)
    return [TargetRead.model_validate(t, from_attributes=True) for t in targets]


@router.put(
    "/v1/indicators/{indicator_id}/targets/{year}",
    response_model=TargetRead,
    summary="Set the target of a year (a change sends `If-Match`)",
    responses=CHANGE,
)
async def set_target(
    indicator_id: uuid.UUID,
    year: Annotated[int, Path(ge=2000, le=2100)],
    data: TargetWrite,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> TargetRead:
    """Sets (or replaces) the indicator's target for one year; a replacement sends the ETag read in `If-Match`."""
    target = await service.set_target(session, principal, programmes, indicator_id, year, data, if_match)
    set_etag(response, target.version)
    return TargetRead.model_validate(target, from_attributes=True)


@router.get(
    "/v1/indicators/{indicator_id}/rules",
    response_model=list[RuleRead],
    summary="The plausibility rules relating this indicator to others",
    responses=problem_responses(404, 503),
)
async def list_rules(
    indicator_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep
) -> list[RuleRead]:
    """Plausibility rules in which this indicator is the lower or the upper one."""
    rules = await service.list_rules(session, principal, programmes, indicator_id)
    return [RuleRead.model_validate(r, from_attributes=True) for r in rules]


@router.post(
    "/v1/indicator-rules",
    response_model=RuleRead,
    status_code=status.HTTP_201_CREATED,
    summary="Define a rule: the lower indicator's value ≤ the upper's, same programme, year and breakdown",
    responses=problem_responses(403, 409),
)
async def create_rule(
    data: RuleCreate, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep
) -> RuleRead:
    """Relates two indicators: in the same programme, year and breakdown the lower one's value may not exceed the
    upper one's. Values breaking a rule are refused when reported."""
    return RuleRead.model_validate(
        await service.create_rule(session, principal, programmes, data), from_attributes=True
    )
