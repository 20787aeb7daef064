"""HTTP routes of the period settlement: the computed proposal, SEM's decisions, the canton's acknowledgement and
the repayment of a refund."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from funding.evaluation_reader import EvaluationDep
from funding.funding_programme import service as programmes_service
from funding.settlement import decisions, service
from funding.settlement.decision_schemas import (
    AcknowledgementWrite,
    RepaymentWrite,
    SettlementDecisionList,
    SettlementDecisionRead,
    SettlementDecisionWrite,
)
from funding.settlement.models import SettlementDecision
from funding.settlement.schemas import Settlement
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import set_etag
from kit.problems import problem_responses
from kit.schemas import MAX_INT

router = APIRouter(prefix="/v1/programmes", tags=["reports"], responses=problem_responses(401, 404, 422))
DECISION = "/{programme_id}/settlement/decisions/{number}"
NumberPath = Annotated[int, Path(ge=1, le=MAX_INT, description="The decision's number in its programme: 1, 2, …")]


@router.get(
    "/{programme_id}/settlement",
    response_model=Settlement,
    summary="Unspent federal money at the period's end: usable within two years, or to refund (a proposal)",
    description="Read-only. `goals_met` is computed from the evaluation service's goal achievement (`goals` holds "
    "the figures and the rule); a `goals_met` query parameter is ignored like any unknown one. 503 when the "
    "evaluation service cannot be read.\n\n" + service.GOALS_RULE,
    responses=problem_responses(503),
)
async def get_settlement(
    programme_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    evaluation: EvaluationDep,
    as_of: Annotated[dt.date | None, Query(description="The day to settle as of; default today.")] = None,
) -> Settlement:
    programme = await programmes_service.get_visible_programme(session, principal, programme_id)
    goals = await service.goals_basis(evaluation, programme)
    return await service.settlement(session, programme, as_of or dt.date.today(), goals)


async def _one(session: SessionDep, decision: SettlementDecision, response: Response) -> SettlementDecisionRead:
    read = (await decisions.reads(session, [decision]))[0]
    set_etag(response, 1 + (read.acknowledgement is not None) + (read.repayment is not None) + read.superseded)
    return read


@router.get(
    "/{programme_id}/settlement/decisions",
    response_model=SettlementDecisionList,
    summary="SEM's settlement decisions of the programme, every version",
)
async def list_decisions(
    programme_id: uuid.UUID, session: SessionDep, principal: PrincipalDep
) -> SettlementDecisionList:
    """SEM's settlement decisions on the programme's period, every version, oldest first."""
    programme = await programmes_service.get_visible_programme(session, principal, programme_id)
    items = await decisions.reads(session, await decisions.listed(session, programme))
    return SettlementDecisionList(programme_id=programme.id, items=items)


@router.post(
    "/{programme_id}/settlement/decisions",
    response_model=SettlementDecisionRead,
    status_code=201,
    summary="SEM decides the settlement: carry-over, refund and its due date, with the computed proposal",
    description="SEM only (403 `funding/sem-decides`). Each decision is a new version; none is changed. The "
    "proposal is computed as `GET …/settlement` does (503 when the evaluation service cannot be read: nothing is "
    "written).",
    responses=problem_responses(403, 503),
)
async def decide_settlement(
    programme_id: uuid.UUID,
    data: SettlementDecisionWrite,
    session: SessionDep,
    principal: PrincipalDep,
    evaluation: EvaluationDep,
    response: Response,
) -> SettlementDecisionRead:
    decision = await decisions.decide(session, principal, evaluation, programme_id, data, dt.date.today())
    response.headers["Location"] = f"/v1/programmes/{programme_id}/settlement/decisions/{decision.number}"
    return await _one(session, decision, response)


@router.get(DECISION, response_model=SettlementDecisionRead, summary="One settlement decision (ETag)")
async def get_decision(
    programme_id: uuid.UUID, number: NumberPath, session: SessionDep, principal: PrincipalDep, response: Response
) -> SettlementDecisionRead:
    """One settlement decision: the amounts settled per source, the refund asked for, its acknowledgement and
    repayment; its ETag is the version a change sends in `If-Match`."""
    return await _one(session, await decisions.get_one(session, principal, programme_id, number), response)


@router.post(
    DECISION + "/acknowledgement",
    response_model=SettlementDecisionRead,
    status_code=201,
    summary="The canton acknowledges SEM's settlement decision (a canton editor of its canton)",
    responses=problem_responses(403, 409),
)
async def acknowledge_decision(
    programme_id: uuid.UUID,
    number: NumberPath,
    data: AcknowledgementWrite,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
) -> SettlementDecisionRead:
    """The programme's canton acknowledges SEM's settlement decision at the end of the period (a canton editor of that
    canton)."""
    decision = await decisions.acknowledge(session, principal, programme_id, number, data)
    return await _one(session, decision, response)


@router.post(
    DECISION + "/repayment",
    response_model=SettlementDecisionRead,
    status_code=201,
    summary="SEM records that the decision's refund was repaid (SEM only)",
    responses=problem_responses(403, 409),
)
async def record_repayment(
    programme_id: uuid.UUID,
    number: NumberPath,
    data: RepaymentWrite,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
) -> SettlementDecisionRead:
    """SEM records that the refund its settlement decision asked for was repaid by the canton."""
    decision = await decisions.repaid(session, principal, programme_id, number, data)
    return await _one(session, decision, response)
