"""Use cases of indicators, their yearly targets and the rules between them.

Canton editors keep their programme's indicators, SEM the national ones. A partner sees only the indicators of
the measures it delivers, which the programme service decides with the partner's own token. An indicator's unit
sets the rules every figure of it obeys: baseline, targets and values (`check_unit`).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.indicator.models import Indicator, IndicatorRule, IndicatorTarget, NationalGoal
from evaluation.indicator.schemas import (
    IndicatorCreate,
    IndicatorRead,
    IndicatorUpdate,
    RuleCreate,
    TargetWrite,
    Unit,
)
from evaluation.problems import (
    IndicatorCodeTaken,
    IndicatorMisplaced,
    RuleExists,
    RuleInvalid,
    UnknownReference,
    ValueImplausible,
)
from evaluation.programme_fact import service as programme_facts
from evaluation.quantity import format_quantity
from evaluation.reference import remember_programme
from evaluation.upstream import Programmes
from kit.auth import Principal, Role, require_roles
from kit.etag import check_version
from kit.i18n import Msg
from kit.problems import Forbidden, InvalidInput, NotFound


def check_unit(unit: Unit, value: Decimal, field: list[str | int]) -> None:
    """The rules every figure of the unit obeys; a refusal names its rule (listed in `indicator_value.plausibility`)."""
    if unit is Unit.COUNT and (value < 0 or value != value.to_integral_value()):
        raise ValueImplausible(
            Msg("A count is a whole number of at least 0, not {value}.", value=format_quantity(value)),
            field=field,
            rule="count_whole_non_negative",
        )
    if unit is Unit.PERCENT and not Decimal(0) <= value <= Decimal(100):
        raise ValueImplausible(
            Msg("A percentage lies within 0–100, not {value}.", value=format_quantity(value)),
            field=field,
            rule="percent_range",
        )
    if unit is Unit.CHF and (value < 0 or value != value.quantize(Decimal("0.01"))):
        raise ValueImplausible(
            Msg("A CHF amount is at least 0 with at most two decimals, not {value}.", value=format_quantity(value)),
            field=field,
            rule="chf_rappen",
        )
    if unit is Unit.HOURS and value < 0:
        raise ValueImplausible(
            Msg("Hours are at least 0, not {value}.", value=format_quantity(value)),
            field=field,
            rule="hours_non_negative",
        )


def to_read(indicator: Indicator) -> IndicatorRead:
    values = {c.key: getattr(indicator, c.key) for c in Indicator.__table__.columns}
    return IndicatorRead.model_validate({**values, "national": indicator.programme_id is None})


async def listed(session: AsyncSession, indicators: list[Indicator]) -> list[IndicatorRead]:
    """Indicators as lists show them: with their measure's status as the programme service's events last said."""
    statuses = await programme_facts.measure_statuses(session, {i.measure_id for i in indicators if i.measure_id})
    reads = [to_read(i) for i in indicators]
    for read in reads:
        read.measure_status = statuses.get(read.measure_id) if read.measure_id else None
    return reads


async def get_visible_indicator(
    session: AsyncSession, principal: Principal, programmes: Programmes, indicator_id: uuid.UUID
) -> Indicator:
    """Foreign and missing indicators answer alike (404)."""
    indicator = await session.get(Indicator, indicator_id)
    if indicator is None:
        raise NotFound(Msg("No indicator {indicator_id}.", indicator_id=indicator_id))
    if principal.is_partner:
        visible = indicator.measure_id is not None and await programmes.measure(indicator.measure_id) is not None
    else:
        visible = indicator.canton is None or principal.can_read_canton(indicator.canton)
    if not visible:
        raise NotFound(Msg("No indicator {indicator_id}.", indicator_id=indicator_id))
    return indicator


def require_indicator_editor(principal: Principal, indicator: Indicator) -> None:
    if indicator.canton is None:
        require_roles(principal, Role.SEM)
    else:
        principal.require_editor(indicator.canton)


async def list_indicators(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    programme_id: uuid.UUID | None,
    measure_id: uuid.UUID | None,
    goal_id: uuid.UUID | None,
    national_goal_id: uuid.UUID | None,
) -> list[Indicator]:
    """With a programme: its indicators and the national ones every programme reports."""
    query = select(Indicator)
    if principal.is_partner:
        own = await programmes.own_measure_ids()
        query = query.where(Indicator.measure_id.in_(own))
    elif not principal.is_sem:
        query = query.where(or_(Indicator.canton.is_(None), Indicator.canton == principal.canton))
    if programme_id is not None:
        query = query.where(or_(Indicator.programme_id == programme_id, Indicator.programme_id.is_(None)))
    if measure_id is not None:
        query = query.where(Indicator.measure_id == measure_id)
    if goal_id is not None:
        query = query.where(Indicator.goal_id == goal_id)
    if national_goal_id is not None:
        query = query.where(Indicator.national_goal_id == national_goal_id)
    query = query.order_by(Indicator.programme_id.is_(None), Indicator.code, Indicator.id)
    return list((await session.scalars(query)).all())


async def create_indicator(
    session: AsyncSession, principal: Principal, programmes: Programmes, data: IndicatorCreate
) -> Indicator:
    canton: str | None = None
    if data.programme_id is None:
        require_roles(principal, Role.SEM)
        if data.national_goal_id is None:
            raise IndicatorMisplaced(
                Msg("A national indicator serves a national goal."), field=["body", "national_goal_id"]
            )
        for key in ("goal_id", "measure_id"):
            if getattr(data, key) is not None:
                raise IndicatorMisplaced(
                    Msg("A national indicator belongs to no programme's goal or measure."), field=["body", key]
                )
    else:
        if principal.role is not Role.CANTON_EDITOR:
            raise Forbidden(Msg("A programme's indicators are kept by its canton's editors."))
        if data.measure_id is not None:
            await programme_facts.require_measure_open(session, principal, data.measure_id)
        programme = await programmes.require_programme(data.programme_id, ["body", "programme_id"])
        canton = str(programme["canton"])
        principal.require_editor(canton)
        if data.goal_id is None and data.measure_id is None:
            raise IndicatorMisplaced(
                Msg("An indicator measures a goal or a measure; name one."), field=["body", "goal_id"]
            )
        if data.goal_id is not None:
            await programmes.require_goal(data.goal_id, data.programme_id, ["body", "goal_id"])
        if data.measure_id is not None:
            await programmes.require_measure(data.measure_id, data.programme_id, ["body", "measure_id"])
        await remember_programme(session, programme)
    if data.national_goal_id is not None and await session.get(NationalGoal, data.national_goal_id) is None:
        raise UnknownReference(
            Msg("Unknown national goal {national_goal_id}.", national_goal_id=data.national_goal_id),
            field=["body", "national_goal_id"],
        )
    if data.baseline is not None:
        check_unit(data.unit, data.baseline, ["body", "baseline"])
    duplicate = await session.scalar(
        select(Indicator.id).where(
            Indicator.code == data.code,
            Indicator.programme_id.is_(None)
            if data.programme_id is None
            else Indicator.programme_id == data.programme_id,
        )
    )
    if duplicate is not None:
        raise IndicatorCodeTaken(
            Msg("An indicator {code} exists already: {duplicate}.", code=repr(data.code), duplicate=duplicate)
        )
    values = data.model_dump()
    for key in ("level", "unit", "direction", "aggregation"):
        values[key] = str(values[key])
    indicator = Indicator(**values, canton=canton)
    session.add(indicator)
    await session.flush()
    return indicator


async def update_indicator(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    indicator_id: uuid.UUID,
    data: IndicatorUpdate,
    if_match: str | None,
) -> Indicator:
    indicator = await get_visible_indicator(session, principal, programmes, indicator_id)
    require_indicator_editor(principal, indicator)
    check_version(indicator.version, if_match)
    changes = data.model_dump(exclude_unset=True)
    for key in ("title", "level", "direction", "aggregation"):
        if key in changes and changes[key] is None:
            raise InvalidInput(Msg("{key} cannot be null.", key=key), field=["body", key])
    if changes.get("baseline") is not None:
        check_unit(Unit(indicator.unit), changes["baseline"], ["body", "baseline"])
    for key, value in changes.items():
        setattr(indicator, key, str(value) if key in ("level", "direction", "aggregation") else value)
    await session.flush()
    return indicator


async def list_targets(
    session: AsyncSession, principal: Principal, programmes: Programmes, indicator_id: uuid.UUID
) -> list[IndicatorTarget]:
    indicator = await get_visible_indicator(session, principal, programmes, indicator_id)
    query = select(IndicatorTarget).where(IndicatorTarget.indicator_id == indicator.id)
    return list((await session.scalars(query.order_by(IndicatorTarget.year))).all())


async def set_target(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    indicator_id: uuid.UUID,
    year: int,
    data: TargetWrite,
    if_match: str | None,
) -> IndicatorTarget:
    """Create a year's target, or change it (then `If-Match` is required)."""
    indicator = await get_visible_indicator(session, principal, programmes, indicator_id)
    require_indicator_editor(principal, indicator)
    check_unit(Unit(indicator.unit), data.value, ["body", "value"])
    target = await session.get(IndicatorTarget, (indicator.id, year))
    if target is None:
        target = IndicatorTarget(indicator_id=indicator.id, year=year, value=data.value, source=data.source)
        session.add(target)
    else:
        check_version(target.version, if_match)
        target.value, target.source, target.illustrative = data.value, data.source, False
    await session.flush()
    return target


async def list_rules(
    session: AsyncSession, principal: Principal, programmes: Programmes, indicator_id: uuid.UUID
) -> list[IndicatorRule]:
    indicator = await get_visible_indicator(session, principal, programmes, indicator_id)
    query = select(IndicatorRule).where(
        or_(IndicatorRule.lower_indicator_id == indicator.id, IndicatorRule.upper_indicator_id == indicator.id)
    )
    return list((await session.scalars(query.order_by(IndicatorRule.description))).all())


async def create_rule(
    session: AsyncSession, principal: Principal, programmes: Programmes, data: RuleCreate
) -> IndicatorRule:
    if data.lower_indicator_id == data.upper_indicator_id:
        raise RuleInvalid(Msg("A rule relates two different indicators."), field=["body", "upper_indicator_id"])
    indicators = []
    for key in ("lower_indicator_id", "upper_indicator_id"):
        indicator = await session.get(Indicator, getattr(data, key))
        if indicator is None or (indicator.canton is not None and not principal.can_read_canton(indicator.canton)):
            raise UnknownReference(
                Msg("Unknown indicator {indicator_id}.", indicator_id=getattr(data, key)), field=["body", key]
            )
        indicators.append(indicator)
    lower, upper = indicators
    if lower.unit != upper.unit:
        raise RuleInvalid(Msg("Both indicators of a rule have the same unit."), field=["body", "upper_indicator_id"])
    cantons = {i.canton for i in indicators} - {None}
    if len(cantons) > 1:
        raise RuleInvalid(Msg("A rule relates indicators of one canton."), field=["body", "upper_indicator_id"])
    canton = cantons.pop() if cantons else None
    if canton is None:
        require_roles(principal, Role.SEM)
    else:
        principal.require_editor(canton)
    duplicate = await session.scalar(
        select(IndicatorRule.id).where(
            IndicatorRule.lower_indicator_id == lower.id, IndicatorRule.upper_indicator_id == upper.id
        )
    )
    if duplicate is not None:
        raise RuleExists(Msg("The rule exists already: {duplicate}.", duplicate=duplicate))
    rule = IndicatorRule(
        lower_indicator_id=lower.id, upper_indicator_id=upper.id, canton=canton, description=data.description
    )
    session.add(rule)
    await session.flush()
    return rule


async def list_national_goals(session: AsyncSession) -> list[NationalGoal]:
    return list((await session.scalars(select(NationalGoal).order_by(NationalGoal.code))).all())
