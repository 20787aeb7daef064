"""HTTP route of the period settlement."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from funding.funding_programme import service as programmes_service
from funding.settlement import service
from funding.settlement.schemas import Settlement
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.problems import problem_responses

router = APIRouter(prefix="/v1/programmes", tags=["reports"], responses=problem_responses(401, 404, 422))


@router.get(
    "/{programme_id}/settlement",
    response_model=Settlement,
    summary="Unspent federal money at the period's end: usable within two years, or to refund",
)
async def get_settlement(
    programme_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    as_of: Annotated[dt.date | None, Query(description="The day to settle as of; default today.")] = None,
    goals_met: Annotated[
        bool,
        Query(
            description="Whether the programme's goals were met (the evaluation says); "
            "when not, unspent money is refunded without carry-over."
        ),
    ] = True,
) -> Settlement:
    programme = await programmes_service.get_readable(session, principal, programme_id)
    return await service.settlement(session, programme, as_of or dt.date.today(), goals_met)
