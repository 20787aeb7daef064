"""The annual report's files as operations of their own: `…/annual-report/{year}.xlsx` and `….csv`.

`?format=` and `Accept` on the report itself still choose the format; these two paths name one media type each,
so a client generated from the OpenAPI document downloads the workbook or the CSV as a file (a response with
three media types is read as JSON by generators). Registered before the report itself, whose `{year}` would
otherwise take `2025.xlsx`.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response

from gateway.caller import CallerDep
from gateway.export import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from gateway.views.deps import VIEW_PROBLEMS, ClientsDep, SettingsDep
from gateway.views.report_routes import YearPath, get_annual_report
from kit.problems import problem_responses

router = APIRouter(prefix="/api/v1/views/sem/programmes/{programme_id}/annual-report", tags=["SEM views"])


def _file(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": what, "content": {media_type: binary}}, **problem_responses(*VIEW_PROBLEMS)}


@router.get(
    "/{year}.xlsx",
    response_class=Response,
    summary="A canton's annual report for a year as an Excel workbook (a sheet per part, amounts in CHF format)",
    responses=_file(XLSX_MEDIA_TYPE, "The workbook, as an attachment."),
)
async def get_annual_report_xlsx(
    programme_id: uuid.UUID, year: YearPath, caller: CallerDep, clients: ClientsDep, settings: SettingsDep
) -> Response:
    """The annual report as a workbook for Swiss Excel: a sheet per section, amounts as CHF numbers, illustrative rows
    marked, a legend on the first sheet. The same figures as the JSON report."""
    return await get_annual_report(programme_id, year, caller, clients, settings, format="xlsx")


@router.get(
    "/{year}.csv",
    response_class=Response,
    summary="A canton's annual report for a year as CSV (a section per part)",
    responses=_file(CSV_MEDIA_TYPE, "The CSV sections, UTF-8, as an attachment."),
)
async def get_annual_report_csv(
    programme_id: uuid.UUID, year: YearPath, caller: CallerDep, clients: ClientsDep, settings: SettingsDep
) -> Response:
    """The annual report as CSV, one section after another, with a `provenance` column telling recorded figures from
    illustrative ones. Text that a spreadsheet could run as a formula is neutralised."""
    return await get_annual_report(programme_id, year, caller, clients, settings, format="csv")
