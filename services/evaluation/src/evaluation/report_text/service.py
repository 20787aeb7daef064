"""Use cases of the canton's report texts: write a new version (never change one), read the current ones and the
history. The canton's editor writes its own programme's texts; the canton and SEM read them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.problems import YearOutsidePeriod
from evaluation.reference import programme_for_read, remember_programme
from evaluation.report_text.models import ReportText
from evaluation.report_text.schemas import (
    CoordinationWrite,
    Section,
    SectionRead,
    SupervisionCheck,
    SupervisionWrite,
    TextRead,
)
from evaluation.upstream import Programmes
from kit.auth import Principal, Role
from kit.i18n import Msg
from kit.problems import Conflict, Forbidden

OVERALL = "overall"


class StaleText(Conflict):
    type_slug = "report-text/stale"
    title = "The text was changed by someone else"


def to_read(t: ReportText) -> TextRead:
    details = t.details or {}
    return TextRead(
        id=t.id,
        programme_id=t.programme_id,
        year=t.year,
        section=Section(t.section),
        funding_area_id=t.funding_area_id,
        version=t.version,
        text=t.text,
        partner_ids=details.get("partner_ids", []),
        regular_structures=details.get("regular_structures", []),
        checks=[SupervisionCheck.model_validate(c) for c in details.get("checks", [])],
        illustrative=t.illustrative,
        source=t.source,
        written_by=t.written_by,
        written_at=t.written_at,
    )


async def write(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    programme_id: uuid.UUID,
    year: int,
    section: Section,
    data: CoordinationWrite | SupervisionWrite,
) -> ReportText:
    if principal.role is not Role.CANTON_EDITOR:
        raise Forbidden(Msg("The report texts are written by a canton editor."))
    programme = await programmes.require_programme(programme_id, ["path", "programme_id"])
    principal.require_editor(str(programme["canton"]))
    info = await remember_programme(session, programme)
    if not info.first_year <= year <= info.last_year:
        raise YearOutsidePeriod(Msg("{year} lies outside the programme's period.", year=year), field=["path", "year"])
    details: dict[str, Any] = {}
    area_id: uuid.UUID | None = None
    if isinstance(data, CoordinationWrite):
        area_id = data.funding_area_id
        if area_id is not None:
            await programmes.require_funding_area(area_id, programme_id, ["body", "funding_area_id"])
        for index, partner_id in enumerate(data.partner_ids):
            await programmes.require_partner(partner_id, info.canton, ["body", "partner_ids", index])
        details = {"partner_ids": [str(p) for p in data.partner_ids], "regular_structures": data.regular_structures}
    else:
        details = {"checks": [c.model_dump(mode="json") for c in data.checks]}
    scope = str(area_id) if area_id else OVERALL
    current = await session.scalar(
        select(func.max(ReportText.version)).where(
            ReportText.programme_id == programme_id,
            ReportText.year == year,
            ReportText.section == section.value,
            ReportText.scope == scope,
        )
    )
    if data.previous_version != current:
        raise StaleText(
            Msg(
                "The current version is {current}; read it and send it as `previous_version`.",
                current=current or "none",
            ),
            errors=[{"loc": ["body", "previous_version"], "msg": "not the current version", "type": "value_error"}],
        )
    text = ReportText(
        programme_id=programme_id,
        canton=info.canton,
        year=year,
        section=section.value,
        scope=scope,
        funding_area_id=area_id,
        version=(current or 0) + 1,
        text=data.text,
        details=details,
        illustrative=data.illustrative,
        source=data.source,
        written_by=principal.subject,
    )
    session.add(text)
    await session.flush()
    return text


async def current(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    programme_id: uuid.UUID,
    year: int,
    section: Section,
) -> SectionRead:
    await programme_for_read(session, programmes, principal, programme_id)
    return await current_of(session, programme_id, year, section)


async def current_of(session: AsyncSession, programme_id: uuid.UUID, year: int, section: Section) -> SectionRead:
    """The current texts of a section, for a programme the caller was found to read."""
    latest = (
        select(ReportText.scope, func.max(ReportText.version).label("version"))
        .where(ReportText.programme_id == programme_id, ReportText.year == year, ReportText.section == section.value)
        .group_by(ReportText.scope)
        .subquery()
    )
    rows = await session.scalars(
        select(ReportText)
        .join(latest, (latest.c.scope == ReportText.scope) & (latest.c.version == ReportText.version))
        .where(ReportText.programme_id == programme_id, ReportText.year == year, ReportText.section == section.value)
    )
    texts = sorted(rows.all(), key=lambda t: (t.scope != OVERALL, t.scope))
    return SectionRead(programme_id=programme_id, year=year, section=section, texts=[to_read(t) for t in texts])


async def history(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    programme_id: uuid.UUID,
    year: int,
    section: Section,
    funding_area_id: uuid.UUID | None,
) -> list[TextRead]:
    await programme_for_read(session, programmes, principal, programme_id)
    scope = str(funding_area_id) if funding_area_id else OVERALL
    rows = await session.scalars(
        select(ReportText)
        .where(
            ReportText.programme_id == programme_id,
            ReportText.year == year,
            ReportText.section == section.value,
            ReportText.scope == scope,
        )
        .order_by(ReportText.version)
    )
    return [to_read(t) for t in rows.all()]
