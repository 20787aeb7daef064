"""Use case of an indicator-value upload, in one transaction: every row is checked by the same rules as a value
entered by hand (`indicator_value.service`: visibility, writer, programme and period, breakdown categories, the
unit's rules, no second value for the same key, the breakdown and inter-indicator rules of `plausibility`), and
every bad row is named. Any bad row, or a dry run, rolls the whole upload back (an outer savepoint).

For speed the per-indicator checks run once per indicator, all rows are added and flushed together, and then the
rules that compare values with each other run against the database as it would be after the upload, so rows of
the same file are checked against each other exactly as if entered one by one in any order.
A row about an indicator the caller may not report on is answered like an unknown indicator, so nothing about
another partner's indicators is revealed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.indicator.models import Indicator, IndicatorRule
from evaluation.indicator.schemas import Unit, ValueStatus
from evaluation.indicator.service import check_unit, get_visible_indicator
from evaluation.indicator_upload.parse import Row
from evaluation.indicator_upload.schemas import RowError, UploadReport
from evaluation.indicator_value import service as values
from evaluation.indicator_value.models import IndicatorValue
from evaluation.indicator_value.plausibility import check_breakdown, check_rules
from evaluation.indicator_value.schemas import ValueCreate
from evaluation.reference import ProgrammeRef
from evaluation.upstream import Programmes
from kit.auth import Principal
from kit.i18n import Msg
from kit.problems import Forbidden, NotFound, Problem

MAX_LISTED = 1000
Key = tuple[uuid.UUID, uuid.UUID, int, str, str]


class UploadInvalid(Problem):
    type_slug = "evaluation/upload-invalid"
    title = "The upload has bad rows; nothing was stored"
    status = 422


@dataclass
class Staged:
    row: int
    indicator: Indicator
    value: IndicatorValue


def _validation_message(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'row'}: {e['msg']}" for e in exc.errors()[:5])


class _Indicators:
    """Each indicator's visibility and writer check, once per upload; a refusal is remembered as the row message."""

    def __init__(self, session: AsyncSession, principal: Principal, programmes: Programmes) -> None:
        self.session, self.principal, self.programmes = session, principal, programmes
        self.found: dict[uuid.UUID, Indicator | str] = {}
        self.periods: dict[uuid.UUID, tuple[int, int] | None] = {}

    async def period(self, programme_id: uuid.UUID) -> tuple[int, int] | None:
        if programme_id not in self.periods:
            ref = await self.session.get(ProgrammeRef, programme_id)
            self.periods[programme_id] = (ref.first_year, ref.last_year) if ref is not None and ref.first_year else None
        return self.periods[programme_id]

    async def get(self, indicator_id: uuid.UUID) -> Indicator:
        if indicator_id not in self.found:
            try:
                indicator = await get_visible_indicator(self.session, self.principal, self.programmes, indicator_id)
                await values._require_writer(self.principal, indicator)
                self.found[indicator_id] = indicator
            except NotFound:
                self.found[indicator_id] = f"indicator_id: no indicator {indicator_id} you may report values on"
            except Problem as exc:
                self.found[indicator_id] = exc.detail
        found = self.found[indicator_id]
        if isinstance(found, str):
            raise _RowRefused(found)
        return found


class _RowRefused(Exception):
    pass


async def _stage(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    indicators: _Indicators,
    data: dict[str, object],
) -> tuple[Indicator, IndicatorValue]:
    try:
        indicator_id = uuid.UUID(str(data.pop("indicator_id")))
    except (KeyError, ValueError):
        raise _RowRefused(Msg("indicator_id: not an indicator id (a UUID)")) from None
    try:
        create = ValueCreate.model_validate(data)
    except ValidationError as exc:
        raise _RowRefused(_validation_message(exc)) from None
    indicator = await indicators.get(indicator_id)
    programme_id, canton = await values._programme_of_value(session, principal, programmes, indicator, create)
    period = await indicators.period(programme_id)
    if period is not None and not period[0] <= create.year <= period[1]:
        raise _RowRefused(
            Msg(
                "year: {year} lies outside the programme's period {first}–{last}.",
                year=create.year,
                first=period[0],
                last=period[1],
            ).render()
        )
    if create.dimension is not None:
        values._check_category(create.dimension, create.category or "")
    check_unit(Unit(indicator.unit), create.value, ["body", "value"])
    return indicator, IndicatorValue(
        indicator_id=indicator.id,
        programme_id=programme_id,
        canton=canton,
        year=create.year,
        dimension=str(create.dimension) if create.dimension else "",
        category=create.category or "",
        value=create.value,
        status=str(ValueStatus.REPORTED),
        partner_id=principal.partner_id if principal.is_partner else None,
        entered_by=principal.subject,
        source=create.source,
        evidence=create.evidence,
    )


def _key(v: IndicatorValue) -> Key:
    return (v.indicator_id, v.programme_id, v.year, v.dimension, v.category)


async def _existing(session: AsyncSession, staged: list[Staged]) -> set[Key]:
    ids = {s.value.indicator_id for s in staged}
    if not ids:
        return set()
    rows = await session.execute(
        select(
            IndicatorValue.indicator_id,
            IndicatorValue.programme_id,
            IndicatorValue.year,
            IndicatorValue.dimension,
            IndicatorValue.category,
        ).where(IndicatorValue.indicator_id.in_(ids))
    )
    return {tuple(r) for r in rows}  # type: ignore[misc]


async def _cross_checks(session: AsyncSession, staged: list[Staged], errors: list[RowError]) -> None:
    """The rules that compare values, run after the whole upload is flushed; only where they can apply."""
    ids = {s.indicator.id for s in staged}
    ruled = set()
    for lower, upper in await session.execute(
        select(IndicatorRule.lower_indicator_id, IndicatorRule.upper_indicator_id).where(
            IndicatorRule.lower_indicator_id.in_(ids) | IndicatorRule.upper_indicator_id.in_(ids)
        )
    ):
        ruled |= {lower, upper}
    groups = {(s.value.indicator_id, s.value.programme_id, s.value.year) for s in staged}
    # check_breakdown can only refuse where a group holds both a total and some breakdown part
    with_total: set[tuple[uuid.UUID, uuid.UUID, int]] = set()
    with_parts: set[tuple[uuid.UUID, uuid.UUID, int]] = set()
    if groups:
        group = tuple_(IndicatorValue.indicator_id, IndicatorValue.programme_id, IndicatorValue.year)
        found = await session.execute(
            select(
                IndicatorValue.indicator_id, IndicatorValue.programme_id, IndicatorValue.year, IndicatorValue.dimension
            )
            .where(group.in_(groups))
            .distinct()
        )
        for indicator_id, programme_id, year, dimension in found:
            (with_parts if dimension else with_total).add((indicator_id, programme_id, year))
    broken_down = with_total & with_parts
    for s in staged:
        v = s.value
        try:
            if (v.indicator_id, v.programme_id, v.year) in broken_down:
                await check_breakdown(
                    session, s.indicator, v.programme_id, v.year, v.dimension, v.category, v.value, v.id
                )
            if v.indicator_id in ruled:
                await check_rules(session, s.indicator, v.programme_id, v.year, v.dimension, v.category, v.value)
        except Problem as exc:
            errors.append(RowError(row=s.row, message=exc.detail))


async def upload_values(
    session: AsyncSession, principal: Principal, programmes: Programmes, rows: Iterable[Row], *, dry_run: bool
) -> UploadReport:
    if not principal.is_partner and not principal.is_canton:
        raise Forbidden(Msg("Values are uploaded by the delivering partner or a canton editor."))
    errors: list[RowError] = []
    staged: list[Staged] = []
    indicators = _Indicators(session, principal, programmes)
    outer = await session.begin_nested()
    read = 0
    for number, data, problems in rows:
        read += 1
        if problems:
            errors.append(RowError(row=number, message="; ".join(problems)))
            continue
        try:
            indicator, value = await _stage(session, principal, programmes, indicators, data)
        except _RowRefused as exc:
            errors.append(RowError(row=number, message=str(exc)))
            continue
        except Problem as exc:
            errors.append(RowError(row=number, message=exc.detail))
            continue
        staged.append(Staged(number, indicator, value))
    seen = await _existing(session, staged)
    unique = []
    for s in staged:
        key = _key(s.value)
        if key in seen:
            errors.append(
                RowError(
                    row=s.row,
                    message=Msg("A value for {year} and this breakdown exists already.", year=s.value.year).render(),
                )
            )
        else:
            seen.add(key)
            unique.append(s)
    if not errors:
        session.add_all([s.value for s in unique])
        await session.flush()
        await _cross_checks(session, unique, errors)
    if errors or dry_run:
        await outer.rollback()
    else:
        await outer.commit()
    if errors:
        errors.sort(key=lambda e: e.row)
        raise UploadInvalid(
            Msg(
                "{count} of {read} rows cannot be stored; nothing was stored. First: row {row}: {message}",
                count=len(errors),
                read=read,
                row=errors[0].row,
                message=errors[0].message,
            ),
            rows=[e.model_dump() for e in errors[:MAX_LISTED]],
            bad_rows=len(errors),
        )
    if read == 0:
        raise UploadInvalid(Msg("The file has no data rows."), rows=[], bad_rows=0)
    return UploadReport(dry_run=dry_run, rows=read, stored=0 if dry_run else len(unique))
