"""HTTP routes of what the annual report reads: goal achievement and key figures (confirmed values only), and the
evaluations with their findings, recommendations and follow-up."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from evaluation.achievement import service
from evaluation.achievement.schemas import GoalAchievementReport, KeyFigures
from evaluation.clock import TodayDep
from evaluation.evaluation import report
from evaluation.evaluation.report import EvaluationReport
from evaluation.reference import programme_for_read
from evaluation.report_text import service as text_service
from evaluation.report_text.schemas import Section, SectionRead
from evaluation.upstream import ProgrammesDep
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.problems import problem_responses

router = APIRouter(prefix="/v1/programmes", tags=["goal achievement"], responses=problem_responses(401, 403, 404, 422))

YearQuery = Annotated[int, Query(ge=2000, le=2100, description="The reporting year, e.g. 2025.")]
YearPath = Annotated[int, Path(ge=2000, le=2100, description="The reporting year, e.g. 2025.")]


@router.get(
    "/{programme_id}/goal-achievement",
    response_model=GoalAchievementReport,
    summary="Target against confirmed actual per indicator, and per goal, for a year",
    description="Canton roles (own canton) and SEM.\n\n" + service.FORMULA,
)
async def goal_achievement(
    programme_id: uuid.UUID, year: YearQuery, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep
) -> GoalAchievementReport:
    programme = await programme_for_read(session, programmes, principal, programme_id)
    return await service.goal_achievement(session, programme, year)


@router.get(
    "/{programme_id}/key-figures",
    response_model=KeyFigures,
    summary="The programme's confirmed indicator values of a year (key figures for SEM's annual report)",
)
async def key_figures(
    programme_id: uuid.UUID, year: YearQuery, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep
) -> KeyFigures:
    """The confirmed values of the programme's indicators for a year, the key figures of the annual report; values
    not yet confirmed are left out."""
    programme = await programme_for_read(session, programmes, principal, programme_id)
    return await service.key_figures(session, programme, year)


@router.get(
    "/{programme_id}/evaluation-report",
    response_model=EvaluationReport,
    summary="The evaluations with findings, recommendations, management responses and actions (annual report)",
)
async def evaluation_report(
    programme_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    today: TodayDep,
) -> EvaluationReport:
    """The programme's evaluations with their findings, recommendations, management responses and follow-up actions,
    as section (b) of the annual report."""
    programme = await programme_for_read(session, programmes, principal, programme_id)
    return await report.evaluation_report(session, programme, today)


class AnnualReportSections(BaseModel):
    """What the evaluation service contributes to a year's annual report, each the same as its own route's answer."""

    programme_id: uuid.UUID
    year: int
    goal_achievement: GoalAchievementReport = Field(description="As `GET …/goal-achievement?year=`.")
    key_figures: KeyFigures = Field(description="As `GET …/key-figures?year=`.")
    evaluations: EvaluationReport = Field(description="As `GET …/evaluation-report`.")
    coordination: SectionRead = Field(description="As `GET …/report-texts/{year}/coordination`.")
    financial_supervision: SectionRead = Field(description="As `GET …/report-texts/{year}/financial-supervision`.")


@router.get(
    "/{programme_id}/annual-report-sections/{year}",
    response_model=AnnualReportSections,
    summary="Goal achievement, key figures, evaluations and the canton's texts of a year, in one answer",
)
async def annual_report_sections(
    programme_id: uuid.UUID,
    year: YearPath,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    today: TodayDep,
) -> AnnualReportSections:
    """The sections of the year's annual report this service holds, for one reader who needs them all (the
    gateway's annual report): the same answers as the five routes they stand for, with the programme and the
    caller's right to read it checked once."""
    programme = await programme_for_read(session, programmes, principal, programme_id)
    return AnnualReportSections(
        programme_id=programme.id,
        year=year,
        goal_achievement=await service.goal_achievement(session, programme, year),
        key_figures=await service.key_figures(session, programme, year),
        evaluations=await report.evaluation_report(session, programme, today),
        coordination=await text_service.current_of(session, programme.id, year, Section.COORDINATION),
        financial_supervision=await text_service.current_of(session, programme.id, year, Section.FINANCIAL_SUPERVISION),
    )
