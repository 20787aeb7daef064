"""The annual report: read live (JSON, Excel, CSV), submitted by the canton as an immutable snapshot, read back
as submitted (SEM reads what was submitted, not what the data says today), and compared between versions.

The snapshots are kept by the evaluation service; the gateway composes, freezes nothing itself and decides no
business rule: who may submit is checked here only to answer early, and again by the evaluation service.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Path, Query, Response, status
from pydantic import Field

from gateway.caller import Caller, CallerDep
from gateway.clients.evaluation import ReportState
from gateway.export import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, to_csv, to_xlsx
from gateway.export_language import export_language
from gateway.views.deps import VIEW_PROBLEMS, ClientsDep, SettingsDep
from gateway.views.report_compose import compose_report
from gateway.views.report_schemas import TIME_RULE, AnnualReport, SubmittedVersion
from kit.auth import Role
from kit.problems import problem_responses
from kit.schemas import Strict

router = APIRouter(prefix="/api/v1/views")

YearPath = Annotated[int, Path(ge=2000, le=2100, description="The reporting year.")]
Format = Literal["json", "xlsx", "csv"]
READERS = (Role.SEM, Role.CANTON_EDITOR, Role.CANTON_VIEWER)
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON, or with `?format=xlsx` / `Accept: " + XLSX_MEDIA_TYPE + "` a workbook with a sheet per "
        "part (amounts as numbers in CHF format), or with `?format=csv` / `Accept: text/csv` CSV sections. The files "
        "are localized: in the language `Accept-Language` chose, else the programme's working language "
        "(`Content-Language` says which), with sheet names, headers, row labels and codes in words, dates DD.MM.YYYY, "
        "CSV as UTF-8 with BOM and `;`. What people wrote stays as written.",
        "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}, CSV_MEDIA_TYPE: {}},
    },
    **problem_responses(*VIEW_PROBLEMS),
}


class SubmitRequest(Strict):
    acknowledged_warnings: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Codes of the completeness warnings the canton has read and accepts, e.g. "
        "`illustrative_figures`, `national_value_missing`.",
    )


class DecisionRequest(Strict):
    decision: Literal["received", "accepted", "returned"]
    version: int | None = Field(default=None, ge=1, le=10_000, description="Default: the latest version.")
    comment: str | None = Field(default=None, max_length=20_000, description="Required when returning a report.")


def _format(requested: Format | None, accept: str | None) -> Format:
    if requested:
        return requested
    accept = (accept or "").lower()
    if XLSX_MEDIA_TYPE in accept:
        return "xlsx"
    if CSV_MEDIA_TYPE in accept:
        return "csv"
    return "json"


def _render(payload: AnnualReport | SubmittedVersion, fmt: Format, filename: str) -> Response:
    report = payload.report if isinstance(payload, SubmittedVersion) else payload
    lang = export_language(report.programme.working_language)
    if fmt == "xlsx":
        disposition = {"Content-Disposition": f'attachment; filename="{filename}.xlsx"', "Content-Language": lang}
        return Response(to_xlsx(report, lang), media_type=XLSX_MEDIA_TYPE, headers=disposition)
    if fmt == "csv":
        disposition = {"Content-Disposition": f'attachment; filename="{filename}.csv"', "Content-Language": lang}
        return Response(to_csv(report, lang), media_type="text/csv; charset=utf-8", headers=disposition)
    return Response(payload.model_dump_json(), media_type="application/json")


@router.get(
    "/sem/programmes/{programme_id}/annual-report/{year}",
    response_model=AnnualReport,
    tags=["SEM views"],
    summary="A canton's annual report for a year, composed from today's data (JSON, Excel or CSV)",
    description="What each section's figures cover: " + TIME_RULE + " Every figure says whether it is "
    "`illustrative` (seeded or estimated) or recorded; the workbook marks illustrative rows (legend on its first "
    "sheet), the CSV has a `provenance` column.",
    responses=EXPORT_RESPONSES,
)
async def get_annual_report(
    programme_id: uuid.UUID,
    year: YearPath,
    caller: CallerDep,
    clients: ClientsDep,
    settings: SettingsDep,
    format: Annotated[Format | None, Query(description="Overrides the Accept header.")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    caller.require(*READERS)
    report = await compose_report(
        clients, caller, programme_id, year, settings.annual_report_timeout, for_submission=False
    )
    return _render(report, _format(format, accept), f"annual-report-{report.programme.canton}-{year}")


@router.post(
    "/canton/programmes/{programme_id}/annual-report/{year}/submit",
    response_model=SubmittedVersion,
    status_code=status.HTTP_201_CREATED,
    tags=["canton views"],
    summary="Submit the year's annual report to SEM: frozen as a new immutable version",
    description="From 1 January of the following year only. The evaluation service checks completeness first: "
    "errors (an indicator with a target and no confirmed value of the year, an unconfirmed value, a missing "
    "section) block with `422 annual-report/incomplete` listing `checks`; warnings block until their codes are "
    "sent in `acknowledged_warnings`. A report SEM has received (and not returned) or accepted takes no new version "
    "(`409`). `Location` names the frozen version.",
    responses=problem_responses(*VIEW_PROBLEMS, 409),
)
async def submit_annual_report(
    programme_id: uuid.UUID,
    year: YearPath,
    caller: CallerDep,
    clients: ClientsDep,
    settings: SettingsDep,
    response: Response,
    body: Annotated[SubmitRequest | None, Body()] = None,
) -> SubmittedVersion:
    caller.require(Role.CANTON_EDITOR)
    report = await compose_report(clients, caller, programme_id, year, settings.submit_timeout, for_submission=True)
    caller.principal.require_editor(report.programme.canton)
    content = report.model_dump(mode="json")
    acknowledged = body.acknowledged_warnings if body else []
    stored = await clients.evaluation.submit_report(caller.ctx, programme_id, year, content, acknowledged)
    response.headers["Location"] = (
        f"{router.prefix}/sem/programmes/{programme_id}/annual-report/{year}/submitted?version={stored.number}"
    )
    return _submitted(stored.model_dump(), stored.content or content)


@router.get(
    "/sem/programmes/{programme_id}/annual-report/{year}/state",
    response_model=ReportState,
    tags=["SEM views"],
    summary="Where the report stands with SEM: due date, status, versions and SEM's decisions",
    responses=problem_responses(*VIEW_PROBLEMS),
)
async def get_report_state(
    programme_id: uuid.UUID, year: YearPath, caller: CallerDep, clients: ClientsDep
) -> ReportState:
    """The report's due date (and whether it is an assumption), its status, the submitted versions and every decision
    SEM recorded on them, from the evaluation service."""
    caller.require(*READERS)
    return await clients.evaluation.report_state(caller.ctx, programme_id, year)


@router.post(
    "/sem/programmes/{programme_id}/annual-report/{year}/decisions",
    response_model=ReportState,
    status_code=status.HTTP_201_CREATED,
    tags=["SEM views"],
    summary="SEM records `received`, then `accepted` or `returned` (with a comment) on the latest version",
    description="A returned report is on the canton's due list until it is resubmitted as the next version.",
    responses=problem_responses(*VIEW_PROBLEMS, 409),
)
async def decide_annual_report(
    programme_id: uuid.UUID, year: YearPath, data: DecisionRequest, caller: CallerDep, clients: ClientsDep
) -> ReportState:
    caller.require(Role.SEM)
    return await clients.evaluation.decide_report(caller.ctx, programme_id, year, data.model_dump(exclude_none=True))


def _submitted(meta: dict[str, Any], content: dict[str, Any]) -> SubmittedVersion:
    return SubmittedVersion(
        programme_id=meta["programme_id"],
        year=meta["year"],
        number=meta["number"],
        sha256=meta.get("sha256"),
        submitted_by=meta.get("submitted_by"),
        submitted_at=meta.get("submitted_at"),
        report=AnnualReport.model_validate(content),
    )


async def _submitted_version(
    caller: Caller, clients: ClientsDep, programme_id: uuid.UUID, year: int, version: int | None
) -> SubmittedVersion:
    if version is None:
        stored = await clients.evaluation.latest_report_version(caller.ctx, programme_id, year)
    else:
        stored = await clients.evaluation.report_version(caller.ctx, programme_id, year, version)
    return _submitted(stored.model_dump(), stored.content or {})


@router.get(
    "/sem/programmes/{programme_id}/annual-report/{year}/submitted",
    response_model=SubmittedVersion,
    tags=["SEM views"],
    summary="The annual report as submitted (the latest version, or `?version=n`), not today's data",
    responses=EXPORT_RESPONSES,
)
async def get_submitted_report(
    programme_id: uuid.UUID,
    year: YearPath,
    caller: CallerDep,
    clients: ClientsDep,
    version: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    format: Annotated[Format | None, Query(description="Overrides the Accept header.")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """What SEM received: the frozen content of a submitted version (the latest unless `version` is given), never
    recomputed from today's data."""
    caller.require(*READERS)
    submitted = await _submitted_version(caller, clients, programme_id, year, version)
    name = f"annual-report-{submitted.report.programme.canton}-{year}-v{submitted.number}"
    return _render(submitted, _format(format, accept), name)


@router.get(
    "/sem/programmes/{programme_id}/annual-report/{year}/diff",
    tags=["SEM views"],
    summary="What changed between two submitted versions (RFC 6902 JSON Patch, from the evaluation service)",
    responses=problem_responses(*VIEW_PROBLEMS),
)
async def diff_submitted_reports(
    programme_id: uuid.UUID,
    year: YearPath,
    caller: CallerDep,
    clients: ClientsDep,
    from_version: Annotated[int, Query(alias="from", ge=1, le=10_000)],
    to_version: Annotated[int, Query(alias="to", ge=1, le=10_000)],
) -> Any:
    """The changes from version `from` to version `to` of a year's submitted report as an RFC 6902 JSON Patch."""
    caller.require(*READERS)
    return await clients.evaluation.report_diff(caller.ctx, programme_id, year, from_version, to_version)
