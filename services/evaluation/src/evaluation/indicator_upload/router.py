"""HTTP route of indicator-value uploads (CSV or XLSX as the request body)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from evaluation.indicator_upload import parse
from evaluation.indicator_upload.schemas import UploadReport
from evaluation.indicator_upload.service import upload_values
from evaluation.upstream import ProgrammesDep
from kit.auth import PrincipalDep, Role
from kit.db import SessionDep
from kit.i18n import Msg
from kit.problems import Forbidden, problem_responses
from kit.spreadsheet import MAX_UPLOAD_BYTES, XLSX_MEDIA_TYPE, read_upload

router = APIRouter(tags=["indicator values"], responses=problem_responses(401, 403, 413, 422, 503))


@router.post(
    "/v1/indicator-values/upload",
    response_model=UploadReport,
    summary="Upload a year's indicator values (CSV or XLSX): dry run, or all rows stored, or none",
    description=(
        f"The body is the file itself (at most {MAX_UPLOAD_BYTES} bytes, else 413), `text/csv` (UTF-8, comma or "
        f"semicolon) or `{XLSX_MEDIA_TYPE}` (sheet `{parse.SHEET}`). The first row names the columns: "
        f"{', '.join(parse.REQUIRED)} (required), {', '.join(parse.OPTIONAL)} (optional); at most "
        f"{parse.MAX_ROWS} rows. Each row passes the rules of a single value entered by hand. Any bad row: 422 "
        "`/problems/evaluation/upload-invalid` listing every bad row (`rows`: row number and message), nothing "
        "stored."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
async def upload_indicator_values(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    programmes: ProgrammesDep,
    dry_run: Annotated[bool, Query(description="True: check every row and store nothing.")] = False,
) -> UploadReport:
    if principal.role not in (Role.PARTNER, Role.CANTON_EDITOR):
        raise Forbidden(Msg("Values are uploaded by the delivering partner or a canton editor."))
    data = await read_upload(request)
    is_xlsx = data[:2] == b"PK" or "spreadsheetml" in request.headers.get("content-type", "")
    rows = parse.xlsx_rows(data) if is_xlsx else parse.csv_rows(data)
    return await upload_values(session, principal, programmes, rows, dry_run=dry_run)
