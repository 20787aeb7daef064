"""The period settlement of federal money: what is unspent at the period's end, what may still be used within two
years, and what must be refunded (VIntA 19; domain brief §3.2). Sums are SQL aggregates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from funding.commitments import sum_chf
from funding.evaluation_reader import EvaluationService
from funding.funding_programme.models import FundingProgramme
from funding.settlement.schemas import (
    GoalBasis,
    GoalsBasis,
    Settlement,
    SettlementStage,
    SettlementTotals,
    SourceSettlement,
)
from funding.sources import FEDERAL_SOURCES, MATCHED_FEDERAL, matching_sources
from funding.spending.models import ActualSpending, FederalPayment

ZERO = Decimal("0.00")
CARRY_OVER_YEARS = 2
RULE = (
    "If the goals are met, federal money left at the period's end may be used for the same purpose within two "
    "years after the programme ends, otherwise it is refunded; if the goals are not met, it is refunded (VIntA 19). "
    "The federal integration credit is paid only as far as canton and communes match it (VIntA 16 para. 3)."
)

#: A goal counts as met at this achievement: "fully met" (1) in the evaluation service's formula.
GOAL_MET = Decimal("1")
GOALS_RULE = (
    "The goals are met when the evaluation service's goal achievement of the period's last year (confirmed values "
    "of every year to date, GET /v1/programmes/{id}/goal-achievement) lists at least one goal and every goal listed "
    "is fully met: its achievement, the mean of its indicators' ratios capped at 1, is 1. A goal without a "
    "confirmed figure is not shown met. SEM's own threshold was not found; this is an assumption to confirm."
)


async def goals_basis(evaluation: EvaluationService, programme: FundingProgramme) -> GoalsBasis:
    """Whether the goals were met, from the evaluation service (503 problem when it cannot be read)."""
    figures = await evaluation.goal_achievement(programme.id, programme.last_year)
    goals = [
        GoalBasis(
            goal_id=g.goal_id,
            kind=g.kind,
            code=g.code,
            achievement=g.achievement,
            met=g.achievement is not None and g.achievement >= GOAL_MET,
        )
        for g in figures.goals
    ]
    return GoalsBasis(source="evaluation: goal-achievement", year=figures.year, rule=GOALS_RULE, goals=goals)


async def _spent_by_source(
    session: AsyncSession, programme: FundingProgramme, first: int, last: int
) -> dict[str, Decimal]:
    rows = await session.execute(
        select(ActualSpending.source, sum_chf(ActualSpending.amount))
        .where(ActualSpending.programme_id == programme.id, ActualSpending.year.between(first, last))
        .group_by(ActualSpending.source)
    )
    return {source: amount for source, amount in rows}


async def settlement(
    session: AsyncSession, programme: FundingProgramme, as_of: dt.date, goals: GoalsBasis
) -> Settlement:
    goals_met = bool(goals.goals) and all(g.met for g in goals.goals)
    payments = await session.execute(
        select(FederalPayment.source, sum_chf(FederalPayment.amount))
        .where(FederalPayment.programme_id == programme.id)
        .group_by(FederalPayment.source)
    )
    received = {source: amount for source, amount in payments}
    in_period = await _spent_by_source(session, programme, programme.first_year, programme.last_year)
    carry = await _spent_by_source(session, programme, programme.last_year + 1, programme.last_year + CARRY_OVER_YEARS)
    matched = sum(
        (in_period.get(str(s), ZERO) for s in matching_sources(programme.third_parties_count_toward_match)), ZERO
    )
    until = dt.date(programme.last_year + CARRY_OVER_YEARS, 12, 31)
    if as_of <= dt.date(programme.last_year, 12, 31):
        stage = SettlementStage.RUNNING
    elif as_of <= until:
        stage = SettlementStage.CARRY_OVER
    else:
        stage = SettlementStage.FINAL
    result = []
    for source in FEDERAL_SOURCES:
        got = received.get(str(source), ZERO)
        spent = in_period.get(str(source), ZERO)
        unspent = max(got - spent, ZERO)
        unmatched = max(spent - matched, ZERO) if source == MATCHED_FEDERAL else ZERO
        spent_later = carry.get(str(source), ZERO)
        remaining = max(unspent - spent_later, ZERO)
        if not goals_met:
            usable, refund = ZERO, unspent + unmatched
        elif stage == SettlementStage.FINAL:
            usable, refund = ZERO, remaining + unmatched
        else:
            usable, refund = remaining, unmatched
        result.append(
            SourceSettlement(
                source=source,
                received=got,
                spent_in_period=spent,
                unspent_at_period_end=unspent,
                unmatched=unmatched,
                spent_in_carry_over=spent_later,
                usable_within_two_years=usable,
                to_refund=min(refund, got),
            )
        )
    return Settlement(
        programme_id=programme.id,
        first_year=programme.first_year,
        last_year=programme.last_year,
        as_of=as_of,
        goals_met=goals_met,
        goals=goals,
        stage=stage,
        carry_over_until=until,
        sources=result,
        totals=SettlementTotals(
            received=sum((s.received for s in result), ZERO),
            unspent_at_period_end=sum((s.unspent_at_period_end for s in result), ZERO),
            usable_within_two_years=sum((s.usable_within_two_years for s in result), ZERO),
            to_refund=sum((s.to_refund for s in result), ZERO),
        ),
        rule=RULE,
    )
