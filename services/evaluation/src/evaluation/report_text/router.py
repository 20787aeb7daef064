"""HTTP routes of the canton's report texts (VIntA art. 18 (d) coordination and cooperation; financial
supervision). Writing adds a version; there is no route that changes or deletes one."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from evaluation.report_text import service
from evaluation.report_text.schemas import CoordinationWrite, Section, SectionRead, SupervisionWrite, TextRead
from evaluation.upstream import ProgrammesDep
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.problems import problem_responses

router = APIRouter(tags=["report texts"], responses=problem_responses(401, 403, 404, 422))
YearPath = Annotated[int, Path(ge=2000, le=2100, description="The reporting year.")]
AreaQuery = Annotated[uuid.UUID | None, Query(description="The funding area; omitted: the overall text.")]
COORDINATION = "/v1/programmes/{programme_id}/report-texts/{year}/coordination"
SUPERVISION = "/v1/programmes/{programme_id}/report-texts/{year}/financial-supervision"


@router.post(
    COORDINATION,
    response_model=TextRead,
    status_code=status.HTTP_201_CREATED,
    summary="A new version of the coordination and cooperation text (overall or of a funding area)",
    description="Send the version it replaces as `previous_version` (none for the first): `409` if another "
    "version was written since. Partners must be the canton's, the funding area the programme's.",
    responses=problem_responses(409, 503),
)
async def write_coordination(
    programme_id: uuid.UUID,
    year: YearPath,
    data: CoordinationWrite,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
) -> TextRead:
    section = Section.COORDINATION
    return service.to_read(await service.write(session, principal, programmes, programme_id, year, section, data))


@router.get(COORDINATION, response_model=SectionRead, summary="The current coordination texts of a year")
async def read_coordination(
    programme_id: uuid.UUID, year: YearPath, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep
) -> SectionRead:
    """The canton's current texts on coordination and cooperation for the year, overall and per funding area."""
    return await service.current(session, principal, programmes, programme_id, year, Section.COORDINATION)


@router.get(COORDINATION + "/versions", response_model=list[TextRead], summary="Every version of one text")
async def coordination_versions(
    programme_id: uuid.UUID,
    year: YearPath,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    funding_area_id: AreaQuery = None,
) -> list[TextRead]:
    """Every version of one coordination text, oldest first, with who wrote it and when."""
    section = Section.COORDINATION
    return await service.history(session, principal, programmes, programme_id, year, section, funding_area_id)


@router.post(
    SUPERVISION,
    response_model=TextRead,
    status_code=status.HTTP_201_CREATED,
    summary="A new version of the financial supervision text: the approach and the checks of the year",
    description="Send the version it replaces as `previous_version` (none for the first): `409` if another "
    "version was written since.",
    responses=problem_responses(409, 503),
)
async def write_supervision(
    programme_id: uuid.UUID,
    year: YearPath,
    data: SupervisionWrite,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
) -> TextRead:
    section = Section.FINANCIAL_SUPERVISION
    return service.to_read(await service.write(session, principal, programmes, programme_id, year, section, data))


@router.get(SUPERVISION, response_model=SectionRead, summary="The current financial supervision text of a year")
async def read_supervision(
    programme_id: uuid.UUID, year: YearPath, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep
) -> SectionRead:
    """The canton's current text on financial supervision for the year: its approach and the checks made."""
    return await service.current(session, principal, programmes, programme_id, year, Section.FINANCIAL_SUPERVISION)


@router.get(SUPERVISION + "/versions", response_model=list[TextRead], summary="Every version of the text")
async def supervision_versions(
    programme_id: uuid.UUID, year: YearPath, session: SessionDep, principal: PrincipalDep, programmes: ProgrammesDep
) -> list[TextRead]:
    """Every version of the financial supervision text, oldest first."""
    section = Section.FINANCIAL_SUPERVISION
    return await service.history(session, principal, programmes, programme_id, year, section, None)
