"""Goal achievement and key figures of a programme, from confirmed values only.

The formula is `FORMULA` below; the endpoint's OpenAPI description repeats it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.achievement.schemas import (
    GoalAchievement,
    GoalAchievementReport,
    IndicatorAchievement,
    KeyFigure,
    KeyFigures,
)
from evaluation.indicator.models import Indicator, IndicatorTarget, NationalGoal
from evaluation.indicator.schemas import Aggregation, Direction, Level, Unit, ValueStatus
from evaluation.indicator_value.models import IndicatorValue
from evaluation.indicator_value.schemas import Dimension
from evaluation.reference import ProgrammeInfo

RATIO_PLACES = Decimal("0.0001")
ONE = Decimal(1)

FORMULA = """\
For a programme and a year Y, an indicator's years to date are the years of the programme's period up to Y
that have both a target and a confirmed total value (breakdown parts and values only reported do not count).
- `sum`:    actual = Σ values of those years;  target = Σ targets of those years.
- `mean`:   actual = mean of the values of those years;  target = mean of the targets of those years.
- `latest`: only the latest of those years counts: actual = its value;  target = its target.
Ratio (4 decimals, half up): higher is better → actual ÷ target; lower is better → target ÷ actual;
a zero target (higher is better) or a zero actual (lower is better) counts as fully met (1).
An indicator without such a year has no ratio and does not count.
A goal's achievement = the mean of its indicators' ratios, each capped at 1.0 (4 decimals, half up).
Time: `year_target`/`year_value` are the figures of year Y alone (`year_status` `missing` when Y has no value,
`reported` when it is not confirmed: then `year_value` is null); `target`/`actual` are to date, over `years`.
"""


_indicator = Indicator.__table__
_target = IndicatorTarget.__table__
_value = IndicatorValue.__table__
_national_goal = NationalGoal.__table__

#: The year-to-date pairs (target, confirmed total value) of each indicator of a programme.
_pairs = (
    select(
        _target.c.indicator_id,
        _target.c.year,
        _target.c.value.label("target"),
        _value.c.value.label("actual"),
    )
    .join(_value, and_(_value.c.indicator_id == _target.c.indicator_id, _value.c.year == _target.c.year))
    .where(
        _value.c.programme_id == bindparam("programme_id"),
        _value.c.status == ValueStatus.CONFIRMED.value,
        _value.c.dimension == "",
        _target.c.year.between(bindparam("first_year"), bindparam("year")),
    )
    .subquery("pairs")
)

#: One row per indicator counting for a programme's goals (its own indicators of a programme goal and the
#: national indicators), with its national goal and each of its year-to-date pairs (none: year is NULL).
_GOAL_FIGURES = (
    select(
        _indicator.c.id,
        _indicator.c.programme_id,
        _indicator.c.goal_id,
        _indicator.c.national_goal_id,
        _indicator.c.code,
        _indicator.c.title,
        _indicator.c.unit,
        _indicator.c.direction,
        _indicator.c.aggregation,
        _indicator.c.illustrative,
        _national_goal.c.code.label("goal_code"),
        _national_goal.c.title.label("goal_title"),
        _pairs.c.year,
        _pairs.c.target,
        _pairs.c.actual,
    )
    .select_from(_indicator)
    .outerjoin(_national_goal, _national_goal.c.id == _indicator.c.national_goal_id)
    .outerjoin(_pairs, _pairs.c.indicator_id == _indicator.c.id)
    .where(
        ((_indicator.c.programme_id == bindparam("programme_id")) & _indicator.c.goal_id.is_not(None))
        | (_indicator.c.programme_id.is_(None) & _indicator.c.national_goal_id.is_not(None))
    )
    .order_by(_indicator.c.code, _indicator.c.id, _pairs.c.year)
)

#: Each indicator's target of the report year and its total value of that year, whatever its status.
_YEAR_TARGETS = select(_target.c.indicator_id, _target.c.value, _target.c.illustrative).where(
    _target.c.year == bindparam("year")
)
_YEAR_VALUES = select(_value.c.indicator_id, _value.c.value, _value.c.status, _value.c.illustrative).where(
    _value.c.programme_id == bindparam("programme_id"), _value.c.year == bindparam("year"), _value.c.dimension == ""
)

_confirmed_of_year = (
    _value.c.programme_id == bindparam("programme_id"),
    _value.c.year == bindparam("year"),
    _value.c.status == ValueStatus.CONFIRMED.value,
)

#: A programme's confirmed values of a year in key-figure order; their indicators come from `_KEY_FIGURE_INDICATORS`
#: (once each rather than repeated on every value row).
_KEY_FIGURE_VALUES = (
    select(
        _value.c.indicator_id,
        _value.c.dimension,
        _value.c.category,
        _value.c.value,
        _value.c.source,
        _value.c.illustrative,
    )
    .select_from(_value)
    .join(_indicator, _indicator.c.id == _value.c.indicator_id)
    .where(*_confirmed_of_year)
    .order_by(_indicator.c.code, _value.c.dimension, _value.c.category)
)

_KEY_FIGURE_INDICATORS = select(
    _indicator.c.id,
    _indicator.c.code,
    _indicator.c.title,
    _indicator.c.level,
    _indicator.c.unit,
    _indicator.c.measure_id,
    _indicator.c.goal_id,
    _indicator.c.national_goal_id,
).where(_indicator.c.id.in_(select(_value.c.indicator_id).where(*_confirmed_of_year)))


def _q(value: Decimal) -> Decimal:
    return value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def ratio(actual: Decimal, target: Decimal, direction: Direction) -> Decimal:
    if direction is Direction.HIGHER:
        return ONE if target == 0 else _q(actual / target)
    return ONE if actual == 0 else _q(target / actual)


def indicator_achievement(
    indicator: Mapping[Any, Any],
    year: int,
    first_year: int,
    targets: dict[int, Decimal],
    actuals: dict[int, Decimal],
    of_year: Mapping[str, Any] | None = None,
) -> IndicatorAchievement:
    """One indicator's achievement; `indicator` is its row (`id`, `code`, `title`, `unit`, `direction`,
    `aggregation`), `targets` and `actuals` its figures by year, `of_year` its figures of the report year
    (`target`, `value`, `status`, `illustrative`)."""
    of_year = of_year or {}
    rule = Aggregation(indicator["aggregation"])
    direction = Direction(indicator["direction"])
    years = [y for y in sorted(actuals) if first_year <= y <= year and y in targets]
    if rule is Aggregation.LATEST:
        years = years[-1:]
    target: Decimal | None = None
    actual: Decimal | None = None
    r: Decimal | None = None
    note = None
    if not years:
        note = "no year to date with both a target and a confirmed value"
    elif rule is Aggregation.MEAN:
        target = _q(sum((targets[y] for y in years), Decimal(0)) / len(years))
        actual = _q(sum((actuals[y] for y in years), Decimal(0)) / len(years))
    else:
        target = sum((targets[y] for y in years), Decimal(0))
        actual = sum((actuals[y] for y in years), Decimal(0))
    if target is not None and actual is not None:
        r = ratio(actual, target, direction)
    return IndicatorAchievement(
        indicator_id=indicator["id"],
        code=indicator["code"],
        title=indicator["title"],
        unit=Unit(indicator["unit"]),
        direction=direction,
        aggregation=rule,
        year=year,
        year_target=of_year.get("target"),
        year_value=of_year.get("value") if of_year.get("status") == "confirmed" else None,
        year_status=of_year.get("status") or "missing",
        illustrative=bool(indicator.get("illustrative")) or bool(of_year.get("illustrative")),
        years=years,
        target=target,
        actual=actual,
        ratio=r,
        capped_ratio=min(r, ONE) if r is not None else None,
        note=note,
    )


def goal_mean(indicators: list[IndicatorAchievement]) -> Decimal | None:
    capped = [i.capped_ratio for i in indicators if i.capped_ratio is not None]
    return _q(sum(capped, Decimal(0)) / len(capped)) if capped else None


async def goal_achievement(session: AsyncSession, programme: ProgrammeInfo, year: int) -> GoalAchievementReport:
    first_year = programme.first_year or 0
    params = {"programme_id": programme.id, "first_year": first_year, "year": year}
    rows = (await session.execute(_GOAL_FIGURES, params)).mappings().all()
    indicators: dict[uuid.UUID, Mapping[Any, Any]] = {}
    targets: dict[uuid.UUID, dict[int, Decimal]] = defaultdict(dict)
    actuals: dict[uuid.UUID, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        indicators.setdefault(row["id"], row)
        if row["year"] is not None:
            targets[row["id"]][row["year"]] = row["target"]
            actuals[row["id"]][row["year"]] = row["actual"]
    of_year: dict[uuid.UUID, dict[str, Any]] = defaultdict(dict)
    for indicator_id, value, illustrative in (await session.execute(_YEAR_TARGETS, params)).all():
        of_year[indicator_id].update(target=value, illustrative=illustrative)
    for indicator_id, value, status, illustrative in (await session.execute(_YEAR_VALUES, params)).all():
        entry = of_year[indicator_id]
        entry.update(value=value, status=status, illustrative=bool(entry.get("illustrative")) or illustrative)
    groups: dict[tuple[str, uuid.UUID], list[IndicatorAchievement]] = defaultdict(list)
    national: dict[uuid.UUID, Mapping[Any, Any]] = {}
    for indicator_id, indicator in indicators.items():
        if indicator["programme_id"] is not None and indicator["goal_id"] is not None:
            key = ("programme_goal", indicator["goal_id"])
        else:
            key = ("national_goal", indicator["national_goal_id"])
            national[indicator["national_goal_id"]] = indicator
        groups[key].append(
            indicator_achievement(
                indicator, year, first_year, targets[indicator_id], actuals[indicator_id], of_year.get(indicator_id)
            )
        )
    goals = []
    for (kind, goal_id), items in groups.items():
        ng = national.get(goal_id) if kind == "national_goal" else None
        goals.append(
            GoalAchievement(
                kind=kind,
                goal_id=goal_id,
                code=ng["goal_code"] if ng is not None else None,
                title=ng["goal_title"] if ng is not None else None,
                achievement=goal_mean(items),
                indicators=items,
            )
        )
    goals.sort(key=lambda g: (g.kind != "programme_goal", g.code or "", str(g.goal_id)))
    return GoalAchievementReport(programme_id=programme.id, year=year, formula=FORMULA, goals=goals)


async def key_figures(session: AsyncSession, programme: ProgrammeInfo, year: int) -> KeyFigures:
    params = {"programme_id": programme.id, "year": year}
    values = (await session.execute(_KEY_FIGURE_VALUES, params)).all()
    indicators = {
        i["id"]: {
            "code": i["code"],
            "title": i["title"],
            "level": Level(i["level"]),
            "unit": Unit(i["unit"]),
            "measure_id": i["measure_id"],
            "goal_id": i["goal_id"],
            "national_goal_id": i["national_goal_id"],
        }
        for i in (await session.execute(_KEY_FIGURE_INDICATORS, params)).mappings()
    }
    items = []
    # Each statement sees what was committed when it started: a value whose indicator was deleted in between
    # is left out, as it would be a moment later (an indicator whose first value came in between is not used).
    # The rows come typed by their columns (UUIDs, quantities as Decimal, the enums converted above), so the
    # figures are built without checking every field again: a programme's year can have thousands of them.
    for indicator_id, dimension, category, value, source, illustrative in values:
        i = indicators.get(indicator_id)
        if i is None:
            continue
        items.append(
            KeyFigure.model_construct(
                indicator_id=indicator_id,
                **i,
                dimension=Dimension(dimension) if dimension else None,
                category=category or None,
                value=value,
                source=source,
                illustrative=bool(illustrative),
            )
        )
    return KeyFigures(programme_id=programme.id, year=year, items=items)
