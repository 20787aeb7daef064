"""Use cases of indicator values: a partner (or the canton) reports them, a canton editor confirms them.

Only confirmed values count in key figures and goal achievement. Every value passes the plausibility rules.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.indicator.models import Indicator
from evaluation.indicator.schemas import Unit, ValueStatus
from evaluation.indicator.service import check_unit, get_visible_indicator
from evaluation.indicator_value.models import IndicatorValue
from evaluation.indicator_value.plausibility import check_breakdown, check_rules
from evaluation.indicator_value.schemas import (
    CATEGORY_PATTERNS,
    SEX_CATEGORIES,
    Dimension,
    ValueCreate,
    ValueRead,
    ValueUpdate,
)
from evaluation.problems import UnknownReference, ValueConfirmed, ValueExists, YearOutsidePeriod
from evaluation.programme_fact import service as programme_facts
from evaluation.reference import ProgrammeRef, remember_programme
from evaluation.upstream import Programmes
from kit.auth import Principal, Role
from kit.db import utcnow
from kit.etag import check_version
from kit.i18n import Msg
from kit.problems import Forbidden, InvalidInput, NotFound


def to_read(value: IndicatorValue) -> ValueRead:
    columns = {c.key: getattr(value, c.key) for c in IndicatorValue.__table__.columns}
    columns["dimension"] = value.dimension or None
    columns["category"] = value.category or None
    return ValueRead.model_validate(columns)


def _check_category(dimension: Dimension, category: str) -> None:
    if dimension is Dimension.SEX:
        valid = category in SEX_CATEGORIES
        expected = ", ".join(sorted(SEX_CATEGORIES))
    else:
        valid = re.fullmatch(CATEGORY_PATTERNS[dimension], category) is not None
        expected = "e.g. 16-25 or 65+" if dimension is Dimension.AGE_BAND else "a lower-case code, e.g. newcomers"
    if not valid:
        raise InvalidInput(
            Msg(
                "{category} is not a category of {dimension} ({expected}).",
                category=repr(category),
                dimension=dimension,
                expected=expected,
            ),
            field=["body", "category"],
        )


async def _require_writer(principal: Principal, indicator: Indicator) -> None:
    """A partner writes its measures' indicators (visibility checked already); else a canton editor."""
    if principal.is_partner:
        if indicator.measure_id is None:
            raise NotFound(Msg("No indicator {id}.", id=indicator.id))
        return
    if principal.role is not Role.CANTON_EDITOR:
        raise Forbidden(Msg("Values are entered by the delivering partner or a canton editor."))
    if indicator.canton is not None:
        principal.require_editor(indicator.canton)


async def _programme_of_value(
    session: AsyncSession, principal: Principal, programmes: Programmes, indicator: Indicator, data: ValueCreate
) -> tuple[uuid.UUID, str]:
    if indicator.programme_id is not None:
        assert indicator.canton is not None
        if data.programme_id is not None and data.programme_id != indicator.programme_id:
            raise UnknownReference(Msg("The indicator belongs to another programme."), field=["body", "programme_id"])
        return indicator.programme_id, indicator.canton
    if data.programme_id is None:
        raise InvalidInput(Msg("A national indicator's value names its programme."), field=["body", "programme_id"])
    programme = await programmes.require_programme(data.programme_id, ["body", "programme_id"])
    principal.require_editor(str(programme["canton"]))
    await remember_programme(session, programme)
    return data.programme_id, str(programme["canton"])


async def enter_value(
    session: AsyncSession, principal: Principal, programmes: Programmes, indicator_id: uuid.UUID, data: ValueCreate
) -> IndicatorValue:
    if principal.is_partner and principal.partner_id is not None:
        await programme_facts.require_partner_active(session, principal.partner_id)
    indicator = await get_visible_indicator(session, principal, programmes, indicator_id)
    await _require_writer(principal, indicator)
    programme_id, canton = await _programme_of_value(session, principal, programmes, indicator, data)
    ref = await session.get(ProgrammeRef, programme_id)
    if ref is not None and ref.first_year and not ref.first_year <= data.year <= ref.last_year:
        raise YearOutsidePeriod(
            Msg(
                "{year} lies outside the programme's period {first_year}–{last_year}.",
                year=data.year,
                first_year=ref.first_year,
                last_year=ref.last_year,
            ),
            field=["body", "year"],
        )
    dimension = str(data.dimension) if data.dimension else ""
    category = data.category or ""
    if data.dimension is not None:
        _check_category(data.dimension, category)
    check_unit(Unit(indicator.unit), data.value, ["body", "value"])
    existing = await session.scalar(
        select(IndicatorValue.id).where(
            IndicatorValue.indicator_id == indicator.id,
            IndicatorValue.programme_id == programme_id,
            IndicatorValue.year == data.year,
            IndicatorValue.dimension == dimension,
            IndicatorValue.category == category,
        )
    )
    if existing is not None:
        raise ValueExists(
            Msg("A value for {year} exists already: {existing}; change it instead.", year=data.year, existing=existing),
            value_id=str(existing),
        )
    await check_breakdown(session, indicator, programme_id, data.year, dimension, category, data.value, None)
    await check_rules(session, indicator, programme_id, data.year, dimension, category, data.value)
    value = IndicatorValue(
        indicator_id=indicator.id,
        programme_id=programme_id,
        canton=canton,
        year=data.year,
        dimension=dimension,
        category=category,
        value=data.value,
        status=str(ValueStatus.REPORTED),
        partner_id=principal.partner_id if principal.is_partner else None,
        entered_by=principal.subject,
        source=data.source,
        evidence=data.evidence,
    )
    session.add(value)
    await session.flush()
    return value


async def _get_value(
    session: AsyncSession, principal: Principal, programmes: Programmes, value_id: uuid.UUID
) -> tuple[IndicatorValue, Indicator]:
    value = await session.get(IndicatorValue, value_id)
    if value is None or (not principal.is_partner and not principal.can_read_canton(value.canton)):
        raise NotFound(Msg("No indicator value {value_id}.", value_id=value_id))
    try:
        indicator = await get_visible_indicator(session, principal, programmes, value.indicator_id)
    except NotFound:
        raise NotFound(Msg("No indicator value {value_id}.", value_id=value_id)) from None
    return value, indicator


async def get_value(
    session: AsyncSession, principal: Principal, programmes: Programmes, value_id: uuid.UUID
) -> IndicatorValue:
    return (await _get_value(session, principal, programmes, value_id))[0]


async def update_value(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    value_id: uuid.UUID,
    data: ValueUpdate,
    if_match: str | None,
) -> IndicatorValue:
    """A change sends the value back to `reported`; a partner cannot change what the canton confirmed."""
    value, indicator = await _get_value(session, principal, programmes, value_id)
    await _require_writer(principal, indicator)
    if not principal.is_partner:
        principal.require_editor(value.canton)
    check_version(value.version, if_match)
    if principal.is_partner and value.status == ValueStatus.CONFIRMED:
        raise ValueConfirmed(Msg("The canton has confirmed this value; ask the canton to change it."))
    changes = data.model_dump(exclude_unset=True)
    if "value" in changes:
        if changes["value"] is None:
            raise InvalidInput(Msg("value cannot be null."), field=["body", "value"])
        new = changes["value"]
        check_unit(Unit(indicator.unit), new, ["body", "value"])
        await check_breakdown(
            session, indicator, value.programme_id, value.year, value.dimension, value.category, new, value.id
        )
        await check_rules(session, indicator, value.programme_id, value.year, value.dimension, value.category, new)
    for key, new_value in changes.items():
        setattr(value, key, new_value)
    value.status, value.confirmed_by, value.confirmed_at = str(ValueStatus.REPORTED), None, None
    value.illustrative = False
    await session.flush()
    return value


async def confirm_value(
    session: AsyncSession, principal: Principal, programmes: Programmes, value_id: uuid.UUID, if_match: str | None
) -> IndicatorValue:
    value, _ = await _get_value(session, principal, programmes, value_id)
    principal.require_editor(value.canton)
    check_version(value.version, if_match)
    if value.status != ValueStatus.CONFIRMED:
        value.status, value.confirmed_by, value.confirmed_at = str(ValueStatus.CONFIRMED), principal.subject, utcnow()
        await session.flush()
    return value


async def list_values(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    indicator_id: uuid.UUID,
    programme_id: uuid.UUID | None,
    year: int | None,
    status: ValueStatus | None,
) -> list[IndicatorValue]:
    indicator = await get_visible_indicator(session, principal, programmes, indicator_id)
    query = select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id)
    if principal.is_canton:
        query = query.where(IndicatorValue.canton == principal.canton)
    if programme_id is not None:
        query = query.where(IndicatorValue.programme_id == programme_id)
    if year is not None:
        query = query.where(IndicatorValue.year == year)
    if status is not None:
        query = query.where(IndicatorValue.status == status)
    query = query.order_by(IndicatorValue.year, IndicatorValue.dimension, IndicatorValue.category)
    return list((await session.scalars(query)).all())
