"""The programme's goal achievement as the evaluation service computes it, read with the caller's token.

The settlement takes whether the goals were met from here, never from the caller. When the evaluation service cannot
be reached (or answers in an unexpected shape) the request is refused with a 503 problem and nothing is written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import httpx
from fastapi import Depends, Request

from kit.auth import PrincipalDep
from kit.i18n import Msg
from kit.problems import UpstreamUnavailable
from kit.upstream import fetch_json

SERVICE = "evaluation"


@dataclass(frozen=True)
class GoalFigure:
    goal_id: uuid.UUID
    kind: str
    code: str | None
    achievement: Decimal | None


@dataclass(frozen=True)
class GoalAchievementFigures:
    year: int
    goals: list[GoalFigure]


class EvaluationService:
    """The evaluation service as seen with one caller's token."""

    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client = client
        self.token = token

    async def goal_achievement(self, programme_id: uuid.UUID, year: int) -> GoalAchievementFigures:
        path = f"/v1/programmes/{programme_id}/goal-achievement"
        data = await fetch_json(self.client, SERVICE, path, self.token, params={"year": year})
        if data is None:
            raise UpstreamUnavailable(
                Msg(
                    "The evaluation service has no goal achievement of programme {programme_id} for {year}.",
                    programme_id=programme_id,
                    year=year,
                ),
                service=SERVICE,
            )
        try:
            goals = [_goal(item) for item in data["goals"]]
        except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
            raise UpstreamUnavailable(
                Msg("The evaluation service answered in an unexpected shape."), service=SERVICE
            ) from exc
        return GoalAchievementFigures(year=year, goals=goals)


def _goal(item: dict[str, Any]) -> GoalFigure:
    achievement = item.get("achievement")
    return GoalFigure(
        goal_id=uuid.UUID(str(item["goal_id"])),
        kind=str(item["kind"]),
        code=item.get("code"),
        achievement=Decimal(str(achievement)) if achievement is not None else None,
    )


async def _evaluation_service(request: Request, principal: PrincipalDep) -> EvaluationService:
    """Built after the token was verified; forwards the caller's bearer token."""
    del principal
    token = request.headers.get("authorization", "").partition(" ")[2].strip()
    return EvaluationService(request.app.state.evaluation_client, token)


EvaluationDep = Annotated[EvaluationService, Depends(_evaluation_service)]
