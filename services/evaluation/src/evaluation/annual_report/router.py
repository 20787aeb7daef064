"""HTTP routes of annual-report snapshots; there is no route that changes or deletes a version."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from evaluation.annual_report import service
from evaluation.annual_report.schemas import ReportDiff, ReportSubmit, SubmittedReportPage, VersionRead, VersionSummary
from evaluation.clock import TodayDep
from evaluation.upstream import ProgrammesDep
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.pagination import PageDep
from kit.problems import problem_responses
from kit.schemas import MAX_INT

router = APIRouter(tags=["annual reports"], responses=problem_responses(401, 403, 404, 422))
YearPath = Annotated[int, Path(ge=2000, le=2100, description="The reporting year.")]
BASE = "/v1/programmes/{programme_id}/annual-reports/{year}"


@router.get("/v1/annual-reports", response_model=SubmittedReportPage, summary="Submitted annual reports")
async def list_submitted(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> SubmittedReportPage:
    """Per programme and year the latest version; SEM sees every canton's, a canton its own."""
    items, total = await service.list_submitted(session, principal, page, year)
    return SubmittedReportPage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    BASE,
    response_model=VersionRead,
    status_code=status.HTTP_201_CREATED,
    summary="Submit the annual report of a year as a new immutable version",
    description="Only once the year has ended (`422 annual-report/year-not-ended`), while the report is open for a "
    "version (first, before SEM received it, or after SEM returned it; else `409`), and complete: errors (an "
    "indicator with a target and no confirmed value, an unconfirmed value, a missing section) block with "
    "`422 annual-report/incomplete` listing `checks`; warnings block until acknowledged by code.",
    responses=problem_responses(409, 503),
)
async def submit(
    programme_id: uuid.UUID,
    year: YearPath,
    data: ReportSubmit,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    response: Response,
    today: TodayDep,
) -> VersionRead:
    version = await service.submit(
        session, principal, programmes, programme_id, year, data.content, today, data.acknowledged_warnings
    )
    response.headers["Location"] = f"/v1/programmes/{programme_id}/annual-reports/{year}/versions/{version.number}"
    return service.to_read(version)


@router.get(BASE, response_model=list[VersionSummary], summary="The submitted versions of a year's report")
async def list_versions(
    programme_id: uuid.UUID, year: YearPath, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep
) -> list[VersionSummary]:
    """Every version of a year's report that the canton submitted, oldest first, with who submitted it and when."""
    return [
        service.to_summary(v) for v in await service.list_versions(session, principal, programmes, programme_id, year)
    ]


@router.get(
    BASE + "/versions/latest",
    response_model=VersionRead,
    summary="The latest submitted version (the highest number)",
    description="`404` while no version of the year's report has been submitted.",
)
async def get_latest_version(
    programme_id: uuid.UUID, year: YearPath, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep
) -> VersionRead:
    return service.to_read(await service.latest_version(session, principal, programmes, programme_id, year))


@router.get(BASE + "/versions/{number}", response_model=VersionRead, summary="One submitted version")
async def get_version(
    programme_id: uuid.UUID,
    year: YearPath,
    number: Annotated[int, Path(ge=1, le=MAX_INT)],
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
) -> VersionRead:
    """The frozen content of one submitted version, exactly as SEM received it."""
    return service.to_read(await service.get_version(session, principal, programmes, programme_id, year, number))


@router.get(BASE + "/diff", response_model=ReportDiff, summary="What changed between two versions (RFC 6902)")
async def diff(
    programme_id: uuid.UUID,
    year: YearPath,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    from_version: Annotated[int, Query(alias="from", ge=1, le=MAX_INT)],
    to_version: Annotated[int, Query(alias="to", ge=1, le=MAX_INT)],
) -> ReportDiff:
    """The changes from version `from` to version `to` as an RFC 6902 JSON Patch."""
    return await service.diff(session, principal, programmes, programme_id, year, from_version, to_version)
