"""HTTP routes of the budget grid: export (xlsx, csv, json), and the grid back as a workbook or as JSON."""

from __future__ import annotations

import enum
import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, Response

from funding.budget_grid import grid_csv, service, workbook
from funding.budget_grid.language import grid_language
from funding.budget_grid.plan import Key, Proposal, load_plan
from funding.budget_grid.schemas import CellError, ChangeReport, GridRead, GridWrite
from funding.upstream import ProgrammeDep
from kit.auth import Principal, PrincipalDep, Role
from kit.db import SessionDep
from kit.etag import IfMatchHeader
from kit.i18n import Msg
from kit.problems import Forbidden, InvalidInput, PreconditionRequired, problem_responses
from kit.spreadsheet import MAX_UPLOAD_BYTES, XLSX_MEDIA_TYPE, read_upload

router = APIRouter(prefix="/v1/programmes", tags=["budget"], responses=problem_responses(401, 403, 404, 422))


def _require_editor_role(principal: Principal) -> None:
    """Refused by role before a byte of the body is read; the canton is checked with the programme."""
    if principal.role is not Role.CANTON_EDITOR:
        raise Forbidden(Msg("Only the canton's editors change its budget."))


class GridFormat(enum.StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    JSON = "json"


DryRun = Annotated[bool, Query(description="True: answer the change report and change nothing.")]
GridReason = Annotated[
    str | None, Query(min_length=1, max_length=2000, description="Why; required to apply, kept with every revision.")
]


@router.get(
    "/{programme_id}/budget-grid",
    response_model=GridRead,
    summary="The whole plan: funding areas × sources × years, original and in force, matching and credits",
    description="JSON (funding areas named in German), or with `format=xlsx` / `format=csv` a file in the language "
    "`Accept-Language` chose, else the programme's working language (`Content-Language` says which): sheet texts, "
    "headers and area names are localized; codes, ids and amounts are not. CSV: UTF-8 with BOM, `;` between cells.",
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}, "text/csv": {}}}},
)
async def get_budget_grid(
    programme_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammeDep,
    format: Annotated[GridFormat, Query()] = GridFormat.JSON,
) -> Response | GridRead:
    """The programme's plan as one grid: funding areas × sources × years, the original plan and the plan in force, the
    matching check per year and the expenditure authorisations used and left."""
    plan = await load_plan(session, principal, programmes, programme_id)
    headers = {"ETag": f'"{plan.version}"'}
    name = f"budget-grid-{programme_id}"
    if format == GridFormat.JSON:
        return Response(service.read_grid(plan).model_dump_json(), media_type="application/json", headers=headers)
    lang = await grid_language(programmes, programme_id)
    grid = service.read_grid(plan, lang)
    revisions = {key: current.revision for key, current in plan.lines.items()}
    headers["Content-Language"] = lang
    if format == GridFormat.XLSX:
        headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return Response(workbook.to_xlsx(grid, revisions, lang), media_type=XLSX_MEDIA_TYPE, headers=headers)
    headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return Response(grid_csv.to_csv(grid, revisions, lang), media_type="text/csv; charset=utf-8", headers=headers)


@router.post(
    "/{programme_id}/budget-grid",
    response_model=ChangeReport,
    summary="Put an edited grid workbook back: a change report (dry run), or every change applied, or none",
    description=(
        f"The body is the .xlsx workbook or the CSV exported by the GET (at most {MAX_UPLOAD_BYTES} bytes, else 413). "
        "`dry_run=true` answers the changes cell by cell and the money rules' warnings; without it every change "
        "becomes a budget revision with `reason`, in one transaction. A cell error is a 422 listing every bad "
        "cell; a grid exported before the plan changed is a 412 naming the lines changed since."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
                "text/csv": {"schema": {"type": "string"}},
            }
        }
    },
    responses=problem_responses(412, 413, 503),
)
async def upload_budget_grid(
    programme_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammeDep,
    response: Response,
    dry_run: DryRun = False,
    reason: GridReason = None,
) -> ChangeReport:
    _require_editor_role(principal)
    if not dry_run and reason is None:
        raise InvalidInput(
            Msg("Say why the plan changes (`reason`); it is kept with every revision."), field=["query", "reason"]
        )
    data = await read_upload(request)
    is_csv = "csv" in request.headers.get("content-type", "")
    read = grid_csv.read_csv if is_csv else workbook.read_xlsx
    version, revisions, proposals, errors = read(data)
    return await _answer(
        session, principal, programmes, programme_id, response, version, revisions, proposals, errors, dry_run, reason
    )


@router.put(
    "/{programme_id}/budget-grid",
    response_model=ChangeReport,
    summary="Put the plan as JSON (other systems): the same change report, the same all-or-nothing",
    description="Send `If-Match` with the grid's ETag (428 without it, 412 when the plan changed since).",
    responses=problem_responses(412, 428, 503),
)
async def put_budget_grid(
    programme_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammeDep,
    response: Response,
    data: Annotated[GridWrite, Body()],
    if_match: IfMatchHeader = None,
    dry_run: DryRun = False,
) -> ChangeReport:
    _require_editor_role(principal)
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(Msg("Send `If-Match` with the budget grid's ETag from your last read."))
    proposals = [
        Proposal(f"lines[{i}]", (line.year, line.funding_area_id, line.source), line.amount)
        for i, line in enumerate(data.lines)
    ]
    return await _answer(
        session, principal, programmes, programme_id, response, if_match, None, proposals, [], dry_run, data.reason
    )


async def _answer(
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammeDep,
    programme_id: uuid.UUID,
    response: Response,
    version: str,
    revisions: dict[Key, int] | None,
    proposals: list[Proposal],
    errors: list[CellError],
    dry_run: bool,
    reason: str | None,
) -> ChangeReport:
    plan = await load_plan(session, principal, programmes, programme_id, write=not dry_run)
    principal.require_editor(plan.canton)
    service.check_fresh(plan, version, revisions)
    changes = service.compare(plan, proposals, errors)
    result = service.report(plan, changes, errors)
    if not dry_run and reason is not None:
        result = await service.apply(session, principal, programmes, plan, changes, reason)
    response.headers["ETag"] = f'"{result.version}"'
    return result
