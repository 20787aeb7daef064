"""Use cases of annual-report snapshots: submit a new version, list, read, compare; never change."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

import jsonpatch
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.annual_report import lifecycle
from evaluation.annual_report.completeness import require_complete
from evaluation.annual_report.models import AnnualReportVersion
from evaluation.annual_report.schemas import ReportDiff, SubmittedReport, VersionRead, VersionSummary
from evaluation.problems import YearOutsidePeriod
from evaluation.reference import programme_for_read, remember_programme
from evaluation.upstream import Programmes
from kit.auth import Principal, Role
from kit.canonical import canonical_json
from kit.i18n import Msg
from kit.pagination import PageParams
from kit.problems import Forbidden, InvalidInput, NotFound, Problem

MAX_BYTES = 5_000_000


class YearNotEnded(Problem):
    type_slug = "annual-report/year-not-ended"
    title = "The report's year has not ended"
    status = 422


def to_summary(v: AnnualReportVersion) -> VersionSummary:
    return VersionSummary(
        programme_id=v.programme_id,
        canton=v.canton,
        year=v.year,
        number=v.number,
        sha256=v.sha256,
        submitted_by=v.submitted_by,
        submitted_at=v.submitted_at,
        acknowledged_warnings=v.acknowledged_warnings or [],
    )


def to_read(v: AnnualReportVersion) -> VersionRead:
    return VersionRead(**to_summary(v).model_dump(), content=v.content)


async def submit(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    programme_id: uuid.UUID,
    year: int,
    content: dict[str, Any],
    today: dt.date,
    acknowledged: list[str],
) -> AnnualReportVersion:
    """Frozen as the next version once the year has ended, the report is open for a version (lifecycle) and
    complete (errors none, warnings acknowledged)."""
    if principal.role is not Role.CANTON_EDITOR:
        raise Forbidden(Msg("Annual reports are submitted by a canton editor."))
    try:
        data = canonical_json(content)
    except ValueError as exc:
        raise InvalidInput(Msg("The content is not plain JSON: {exc}.", exc=exc), field=["body", "content"]) from exc
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            Msg("The content exceeds {MAX_BYTES} bytes.", MAX_BYTES=MAX_BYTES), field=["body", "content"]
        )
    programme = await programmes.require_programme(programme_id, ["path", "programme_id"])
    principal.require_editor(str(programme["canton"]))
    info = await remember_programme(session, programme)
    if info.first_year and not info.first_year <= year <= info.last_year:
        raise YearOutsidePeriod(
            Msg(
                "{year} lies outside the programme's period {first_year}–{last_year}.",
                year=year,
                first_year=info.first_year,
                last_year=info.last_year,
            ),
            field=["path", "year"],
        )
    if today.year <= year:
        raise YearNotEnded(
            Msg(
                "The {year} report can be submitted from 1 January {next_year}; today is {today}.",
                year=year,
                next_year=year + 1,
                today=today.isoformat(),
            ),
            errors=[{"loc": ["path", "year"], "msg": "the year has not ended", "type": "value_error"}],
        )
    await lifecycle.require_open_for_submission(session, programme_id, year)
    warnings = await require_complete(session, info, year, content, acknowledged)
    last = await session.scalar(
        select(func.max(AnnualReportVersion.number)).where(
            AnnualReportVersion.programme_id == programme_id, AnnualReportVersion.year == year
        )
    )
    version = AnnualReportVersion(
        programme_id=programme_id,
        canton=info.canton,
        year=year,
        number=(last or 0) + 1,
        content=content,
        sha256=hashlib.sha256(data).hexdigest(),
        submitted_by=principal.subject,
        acknowledged_warnings=warnings,
    )
    session.add(version)
    await session.flush()
    return version


async def list_versions(
    session: AsyncSession, principal: Principal, programmes: Programmes, programme_id: uuid.UUID, year: int
) -> list[AnnualReportVersion]:
    await programme_for_read(session, programmes, principal, programme_id)
    query = select(AnnualReportVersion).where(
        AnnualReportVersion.programme_id == programme_id, AnnualReportVersion.year == year
    )
    return list((await session.scalars(query.order_by(AnnualReportVersion.number))).all())


async def get_version(
    session: AsyncSession, principal: Principal, programmes: Programmes, programme_id: uuid.UUID, year: int, number: int
) -> AnnualReportVersion:
    await programme_for_read(session, programmes, principal, programme_id)
    version = await session.scalar(
        select(AnnualReportVersion).where(
            AnnualReportVersion.programme_id == programme_id,
            AnnualReportVersion.year == year,
            AnnualReportVersion.number == number,
        )
    )
    if version is None:
        raise NotFound(
            Msg(
                "No version {number} of the {year} annual report of programme {programme_id}.",
                number=number,
                year=year,
                programme_id=programme_id,
            )
        )
    return version


async def latest_version(
    session: AsyncSession, principal: Principal, programmes: Programmes, programme_id: uuid.UUID, year: int
) -> AnnualReportVersion:
    """The version with the highest number: what SEM received last."""
    await programme_for_read(session, programmes, principal, programme_id)
    version = await session.scalar(
        select(AnnualReportVersion)
        .where(AnnualReportVersion.programme_id == programme_id, AnnualReportVersion.year == year)
        .order_by(AnnualReportVersion.number.desc())
        .limit(1)
    )
    if version is None:
        raise NotFound(f"No annual report for {year} has been submitted for programme {programme_id}.")
    return version


async def diff(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    programme_id: uuid.UUID,
    year: int,
    from_number: int,
    to_number: int,
) -> ReportDiff:
    a = await get_version(session, principal, programmes, programme_id, year, from_number)
    b = await get_version(session, principal, programmes, programme_id, year, to_number)
    operations: list[dict[str, Any]] = list(jsonpatch.make_patch(a.content, b.content).patch)
    return ReportDiff(
        programme_id=programme_id,
        year=year,
        from_version=a.number,
        to_version=b.number,
        from_sha256=a.sha256,
        to_sha256=b.sha256,
        identical=a.sha256 == b.sha256,
        operations=operations,
    )


async def list_submitted(
    session: AsyncSession, principal: Principal, page: PageParams, year: int | None
) -> tuple[list[SubmittedReport], int]:
    """Per programme and year, the latest version; SEM sees every canton's, a canton its own."""
    if principal.is_partner:
        raise Forbidden(Msg("Annual reports are read by the cantons and SEM."))
    grouped = select(
        AnnualReportVersion.programme_id,
        AnnualReportVersion.year,
        func.max(AnnualReportVersion.number).label("latest"),
        func.count().label("versions"),
    ).group_by(AnnualReportVersion.programme_id, AnnualReportVersion.year)
    if not principal.is_sem:
        grouped = grouped.where(AnnualReportVersion.canton == principal.canton)
    if year is not None:
        grouped = grouped.where(AnnualReportVersion.year == year)
    sub = grouped.subquery()
    total = int(await session.scalar(select(func.count()).select_from(sub)) or 0)
    rows = (
        await session.execute(
            select(AnnualReportVersion, sub.c.versions)
            .join(
                sub,
                (sub.c.programme_id == AnnualReportVersion.programme_id)
                & (sub.c.year == AnnualReportVersion.year)
                & (sub.c.latest == AnnualReportVersion.number),
            )
            .order_by(AnnualReportVersion.year.desc(), AnnualReportVersion.canton, AnnualReportVersion.programme_id)
            .limit(page.limit)
            .offset(page.offset)
        )
    ).all()
    items = [
        SubmittedReport(
            programme_id=v.programme_id, canton=v.canton, year=v.year, versions=int(n), latest=to_summary(v)
        )
        for v, n in rows
    ]
    return items, total
