"""The checks a report passes before it is frozen and sent to SEM.

Errors block the submission: a programme indicator with a target for the year and no confirmed value, a value of
the year not yet confirmed, a section of VIntA art. 18 missing from the report. Warnings block it until the canton
acknowledges them by code in the request: figures marked illustrative, national (Integration Agenda) indicators
with a target and no confirmed value of the programme.
"""

from __future__ import annotations

import enum
import uuid
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.annual_report.lifecycle import contains_illustrative
from evaluation.indicator.models import Indicator, IndicatorTarget
from evaluation.indicator.schemas import ValueStatus
from evaluation.indicator_value.models import IndicatorValue
from evaluation.reference import ProgrammeInfo
from kit.i18n import Msg
from kit.problems import Problem

#: The parts of the report VIntA art. 18 and SEM ask for; each must be present (a section may state `missing`
#: for a figure, never be left out).
REQUIRED_SECTIONS = ("goals", "evaluations", "key_figures", "finances", "coordination", "financial_supervision")


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class CheckCode(enum.StrEnum):
    VALUE_MISSING = "value_missing"
    VALUE_UNCONFIRMED = "value_unconfirmed"
    SECTION_MISSING = "section_missing"
    ILLUSTRATIVE_FIGURES = "illustrative_figures"
    NATIONAL_VALUE_MISSING = "national_value_missing"


class Check(BaseModel):
    code: CheckCode
    severity: Severity
    message: str
    indicator_id: uuid.UUID | None = None
    section: str | None = None


class ReportIncomplete(Problem):
    type_slug = "annual-report/incomplete"
    title = "The annual report is not complete"
    status = 422

    def __init__(self, blocking: list[Check], unacknowledged: list[Check]) -> None:
        parts = []
        if blocking:
            parts.append(f"{len(blocking)} error(s) to correct")
        if unacknowledged:
            codes = sorted({c.code.value for c in unacknowledged})
            parts.append(
                f"{len(unacknowledged)} warning(s) to acknowledge in `acknowledged_warnings` ({', '.join(codes)})"
            )
        super().__init__(
            "The report was not submitted: " + "; ".join(parts) + ".",
            checks=[c.model_dump(mode="json") for c in [*blocking, *unacknowledged]],
        )


def _missing(content: dict[str, Any], section: str) -> bool:
    part = content.get(section)
    return part is None or (isinstance(part, dict) and part.get("missing") is True)


async def _value_checks(session: AsyncSession, programme: ProgrammeInfo, year: int) -> list[Check]:
    confirmed = and_(
        IndicatorValue.indicator_id == Indicator.id,
        IndicatorValue.programme_id == programme.id,
        IndicatorValue.year == year,
        IndicatorValue.dimension == "",
        IndicatorValue.status == ValueStatus.CONFIRMED.value,
    )
    without_value = (
        select(Indicator.id, Indicator.code, Indicator.programme_id)
        .join(IndicatorTarget, and_(IndicatorTarget.indicator_id == Indicator.id, IndicatorTarget.year == year))
        .outerjoin(IndicatorValue, confirmed)
        .where(
            (Indicator.programme_id == programme.id) | Indicator.programme_id.is_(None),
            IndicatorValue.id.is_(None),
        )
        .order_by(Indicator.code)
    )
    checks = []
    for indicator_id, code, owner in (await session.execute(without_value)).all():
        national = owner is None
        checks.append(
            Check(
                code=CheckCode.NATIONAL_VALUE_MISSING if national else CheckCode.VALUE_MISSING,
                severity=Severity.WARNING if national else Severity.ERROR,
                message=Msg(
                    "{code} has a target for {year} and no confirmed value of {year}.", code=code, year=year
                ).render(),
                indicator_id=indicator_id,
            )
        )
    unconfirmed = (
        select(IndicatorValue.indicator_id, Indicator.code, IndicatorValue.dimension, IndicatorValue.category)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(
            IndicatorValue.programme_id == programme.id,
            IndicatorValue.year == year,
            IndicatorValue.status != ValueStatus.CONFIRMED.value,
        )
        .order_by(Indicator.code, IndicatorValue.dimension, IndicatorValue.category)
    )
    for indicator_id, code, dimension, category in (await session.execute(unconfirmed)).all():
        part = f" ({dimension}: {category})" if dimension else ""  # codes: the same in every language
        checks.append(
            Check(
                code=CheckCode.VALUE_UNCONFIRMED,
                severity=Severity.ERROR,
                message=Msg(
                    "The {year} value of {code}{part} is reported but not confirmed.", year=year, code=code, part=part
                ).render(),
                indicator_id=indicator_id,
            )
        )
    return checks


async def run_checks(
    session: AsyncSession, programme: ProgrammeInfo, year: int, content: dict[str, Any]
) -> list[Check]:
    checks = await _value_checks(session, programme, year)
    checks += [
        Check(
            code=CheckCode.SECTION_MISSING,
            severity=Severity.ERROR,
            message=Msg("The section `{section}` is missing from the report.", section=section).render(),
            section=section,
        )
        for section in REQUIRED_SECTIONS
        if _missing(content, section)
    ]
    if contains_illustrative(content):
        checks.append(
            Check(
                code=CheckCode.ILLUSTRATIVE_FIGURES,
                severity=Severity.WARNING,
                message=Msg("The report contains figures or texts marked illustrative (seeded or estimated).").render(),
            )
        )
    return checks


async def require_complete(
    session: AsyncSession, programme: ProgrammeInfo, year: int, content: dict[str, Any], acknowledged: list[str]
) -> list[str]:
    """Raises `ReportIncomplete` unless there are no errors and every warning's code is acknowledged; returns
    the codes of the warnings acknowledged."""
    checks = await run_checks(session, programme, year, content)
    blocking = [c for c in checks if c.severity is Severity.ERROR]
    warnings = [c for c in checks if c.severity is Severity.WARNING]
    unacknowledged = [c for c in warnings if c.code.value not in acknowledged]
    if blocking or unacknowledged:
        raise ReportIncomplete(blocking, unacknowledged)
    return sorted({c.code.value for c in warnings})


class CheckList(BaseModel):
    year: int
    checks: list[Check] = Field(description="Errors block a submission; warnings need acknowledging by code.")
