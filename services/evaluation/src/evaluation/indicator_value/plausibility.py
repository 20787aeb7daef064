"""Plausibility rules on indicator values; each refusal is a 422 naming the field and the rule.

- `count_whole_non_negative`: counts are whole numbers, never negative.
- `percent_range`: percentages lie within 0–100.
- `chf_rappen`: CHF amounts are not negative and have at most two decimal places.
- `hours_non_negative`: hours are not negative.
- `breakdown_within_total`: the parts of one breakdown dimension (for additive units) add up to no more than the
  total of the same indicator, programme and year.
- `indicator_rule`: rules defined as data between two indicators (the lower's value ≤ the upper's for the same
  programme, year and breakdown), e.g. course completers ≤ course participants.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.indicator.models import Indicator, IndicatorRule
from evaluation.indicator.schemas import ADDITIVE, Unit
from evaluation.indicator_value.models import IndicatorValue
from evaluation.problems import ValueImplausible
from evaluation.quantity import format_quantity
from kit.i18n import Msg

# The first four rules are the unit's, which targets and baselines obey too: `indicator.service.check_unit`.


def refuse(detail: str, field: list[str | int], rule: str, **extra: object) -> ValueImplausible:
    return ValueImplausible(detail, field=field, rule=rule, **extra)


async def _value_at(
    session: AsyncSession, indicator_id: uuid.UUID, programme_id: uuid.UUID, year: int, dimension: str, category: str
) -> IndicatorValue | None:
    return await session.scalar(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator_id,
            IndicatorValue.programme_id == programme_id,
            IndicatorValue.year == year,
            IndicatorValue.dimension == dimension,
            IndicatorValue.category == category,
        )
    )


async def check_breakdown(
    session: AsyncSession,
    indicator: Indicator,
    programme_id: uuid.UUID,
    year: int,
    dimension: str,
    category: str,
    value: Decimal,
    own_id: uuid.UUID | None,
) -> None:
    """A part never makes its dimension's parts exceed the total; a total is never below any dimension's parts."""
    if Unit(indicator.unit) not in ADDITIVE:
        return
    field: list[str | int] = ["body", "value"]
    if dimension:
        total = await _value_at(session, indicator.id, programme_id, year, "", "")
        if total is None:
            return
        others = select(IndicatorValue.value).where(
            IndicatorValue.indicator_id == indicator.id,
            IndicatorValue.programme_id == programme_id,
            IndicatorValue.year == year,
            IndicatorValue.dimension == dimension,
            IndicatorValue.category != category,
        )
        if own_id is not None:
            others = others.where(IndicatorValue.id != own_id)
        parts = sum((v for v in (await session.scalars(others)).all()), Decimal(0)) + value
        if parts > total.value:
            raise refuse(
                Msg(
                    "The parts of the breakdown by {dimension} would add up to {parts}, "
                    "more than the total {value} of {year}.",
                    dimension=dimension,
                    parts=format_quantity(parts),
                    value=format_quantity(total.value),
                    year=year,
                ),
                field,
                "breakdown_within_total",
            )
        return
    for dim in (
        await session.scalars(
            select(IndicatorValue.dimension)
            .where(
                IndicatorValue.indicator_id == indicator.id,
                IndicatorValue.programme_id == programme_id,
                IndicatorValue.year == year,
                IndicatorValue.dimension != "",
            )
            .distinct()
        )
    ).all():
        parts_sum = sum(
            (
                v
                for v in (
                    await session.scalars(
                        select(IndicatorValue.value).where(
                            IndicatorValue.indicator_id == indicator.id,
                            IndicatorValue.programme_id == programme_id,
                            IndicatorValue.year == year,
                            IndicatorValue.dimension == dim,
                        )
                    )
                ).all()
            ),
            Decimal(0),
        )
        if parts_sum > value:
            raise refuse(
                Msg(
                    "The total {value} is below the parts of the breakdown by {dim}, which add up to {parts_sum}.",
                    value=format_quantity(value),
                    dim=dim,
                    parts_sum=format_quantity(parts_sum),
                ),
                field,
                "breakdown_within_total",
            )


async def check_rules(
    session: AsyncSession,
    indicator: Indicator,
    programme_id: uuid.UUID,
    year: int,
    dimension: str,
    category: str,
    value: Decimal,
) -> None:
    """Rules between indicators, checked against the other indicator's value at the same programme, year and
    breakdown, whether reported or confirmed."""
    rules = (
        await session.scalars(
            select(IndicatorRule).where(
                (IndicatorRule.lower_indicator_id == indicator.id) | (IndicatorRule.upper_indicator_id == indicator.id)
            )
        )
    ).all()
    for rule in rules:
        is_lower = rule.lower_indicator_id == indicator.id
        other_id = rule.upper_indicator_id if is_lower else rule.lower_indicator_id
        other = await _value_at(session, other_id, programme_id, year, dimension, category)
        if other is None:
            continue
        lower, upper = (value, other.value) if is_lower else (other.value, value)
        if lower > upper:
            other_indicator = await session.get(Indicator, other_id)
            name = other_indicator.code if other_indicator else str(other_id)
            facts = {
                "value": format_quantity(value),
                "other": format_quantity(other.value),
                "name": name,
                "year": year,
                "description": rule.description,
            }
            message = (
                Msg("{value} must not exceed {other} of indicator {name} for {year} ({description}).", **facts)
                if is_lower
                else Msg("{value} must not be below {other} of indicator {name} for {year} ({description}).", **facts)
            )
            raise refuse(
                message,
                ["body", "value"],
                "indicator_rule",
                rule_id=str(rule.id),
                rule_description=rule.description,
            )
