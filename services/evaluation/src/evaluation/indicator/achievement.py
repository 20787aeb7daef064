"""Goal achievement and key figures of a programme, from confirmed values only.

The formula is `FORMULA` below; the endpoint's OpenAPI description repeats it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.indicator.models import Indicator, IndicatorTarget, IndicatorValue, NationalGoal
from evaluation.indicator.schemas import Aggregation, Dimension, Direction, Level, Unit, ValueStatus
from evaluation.quantity import Quantity
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
"""


class IndicatorAchievement(BaseModel):
    indicator_id: uuid.UUID
    code: str
    title: str
    unit: Unit
    direction: Direction
    aggregation: Aggregation
    years: list[int] = Field(description="The years whose confirmed values make up the actual.")
    target: Quantity | None
    actual: Quantity | None
    ratio: Quantity | None = Field(description="Achievement ratio respecting the direction, uncapped.")
    capped_ratio: Quantity | None = Field(description="The ratio capped at 1, as it counts for the goal.")
    note: str | None = None


class GoalAchievement(BaseModel):
    kind: str = Field(description="`programme_goal` (a goal in the programme service) or `national_goal`.")
    goal_id: uuid.UUID
    code: str | None = None
    title: str | None = None
    achievement: Quantity | None = Field(description="Mean of the capped ratios of its indicators with a ratio.")
    indicators: list[IndicatorAchievement]


class GoalAchievementReport(BaseModel):
    programme_id: uuid.UUID
    year: int
    formula: str
    goals: list[GoalAchievement]


class KeyFigure(BaseModel):
    indicator_id: uuid.UUID
    code: str
    title: str
    level: Level
    unit: Unit
    measure_id: uuid.UUID | None
    goal_id: uuid.UUID | None
    national_goal_id: uuid.UUID | None
    dimension: Dimension | None
    category: str | None
    value: Quantity
    source: str | None
    illustrative: bool


class KeyFigures(BaseModel):
    programme_id: uuid.UUID
    year: int
    items: list[KeyFigure]


def _q(value: Decimal) -> Decimal:
    return value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def ratio(actual: Decimal, target: Decimal, direction: Direction) -> Decimal:
    if direction is Direction.HIGHER:
        return ONE if target == 0 else _q(actual / target)
    return ONE if actual == 0 else _q(target / actual)


def indicator_achievement(
    indicator: Indicator, year: int, first_year: int, targets: dict[int, Decimal], actuals: dict[int, Decimal]
) -> IndicatorAchievement:
    rule = Aggregation(indicator.aggregation)
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
        r = ratio(actual, target, Direction(indicator.direction))
    return IndicatorAchievement(
        indicator_id=indicator.id,
        code=indicator.code,
        title=indicator.title,
        unit=Unit(indicator.unit),
        direction=Direction(indicator.direction),
        aggregation=rule,
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
    indicators = (
        await session.scalars(
            select(Indicator)
            .where(
                ((Indicator.programme_id == programme.id) & Indicator.goal_id.is_not(None))
                | (Indicator.programme_id.is_(None) & Indicator.national_goal_id.is_not(None))
            )
            .order_by(Indicator.code)
        )
    ).all()
    ids = [i.id for i in indicators]
    targets: dict[uuid.UUID, dict[int, Decimal]] = defaultdict(dict)
    for t in (await session.scalars(select(IndicatorTarget).where(IndicatorTarget.indicator_id.in_(ids)))).all():
        targets[t.indicator_id][t.year] = t.value
    actuals: dict[uuid.UUID, dict[int, Decimal]] = defaultdict(dict)
    confirmed = select(IndicatorValue).where(
        IndicatorValue.indicator_id.in_(ids),
        IndicatorValue.programme_id == programme.id,
        IndicatorValue.status == ValueStatus.CONFIRMED,
        IndicatorValue.dimension == "",
    )
    for v in (await session.scalars(confirmed)).all():
        actuals[v.indicator_id][v.year] = v.value
    first_year = programme.first_year or 0
    groups: dict[tuple[str, uuid.UUID], list[IndicatorAchievement]] = defaultdict(list)
    for indicator in indicators:
        if indicator.programme_id is not None and indicator.goal_id is not None:
            key = ("programme_goal", indicator.goal_id)
        else:
            assert indicator.national_goal_id is not None
            key = ("national_goal", indicator.national_goal_id)
        groups[key].append(
            indicator_achievement(indicator, year, first_year, targets[indicator.id], actuals[indicator.id])
        )
    national = {g.id: g for g in (await session.scalars(select(NationalGoal))).all()}
    goals = []
    for (kind, goal_id), items in groups.items():
        ng = national.get(goal_id) if kind == "national_goal" else None
        goals.append(
            GoalAchievement(
                kind=kind,
                goal_id=goal_id,
                code=ng.code if ng else None,
                title=ng.title if ng else None,
                achievement=goal_mean(items),
                indicators=items,
            )
        )
    goals.sort(key=lambda g: (g.kind != "programme_goal", g.code or "", str(g.goal_id)))
    return GoalAchievementReport(programme_id=programme.id, year=year, formula=FORMULA, goals=goals)


async def key_figures(session: AsyncSession, programme: ProgrammeInfo, year: int) -> KeyFigures:
    rows = (
        await session.execute(
            select(IndicatorValue, Indicator)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .where(
                IndicatorValue.programme_id == programme.id,
                IndicatorValue.year == year,
                IndicatorValue.status == ValueStatus.CONFIRMED,
            )
            .order_by(Indicator.code, IndicatorValue.dimension, IndicatorValue.category)
        )
    ).all()
    items = [
        KeyFigure(
            indicator_id=i.id,
            code=i.code,
            title=i.title,
            level=Level(i.level),
            unit=Unit(i.unit),
            measure_id=i.measure_id,
            goal_id=i.goal_id,
            national_goal_id=i.national_goal_id,
            dimension=Dimension(v.dimension) if v.dimension else None,
            category=v.category or None,
            value=v.value,
            source=v.source,
            illustrative=v.illustrative,
        )
        for v, i in rows
    ]
    return KeyFigures(programme_id=programme.id, year=year, items=items)
