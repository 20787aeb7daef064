"""The period settlement of federal money: what is unspent at the period's end, what may still be used within two
years, and what must be refunded (VIntA 19; domain brief §3.2). Sums are SQL aggregates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from funding.commitments import sum_chf
from funding.funding_programme.models import FundingProgramme
from funding.settlement.schemas import Settlement, SettlementStage, SettlementTotals, SourceSettlement
from funding.sources import FEDERAL_SOURCES, MATCHED_FEDERAL, matching_sources
from funding.spending.models import ActualSpending, FederalPayment

ZERO = Decimal("0.00")
CARRY_OVER_YEARS = 2
RULE = (
    "If the goals are met, federal money left at the period's end may be used for the same purpose within two "
    "years after the programme ends, otherwise it is refunded; if the goals are not met, it is refunded (VIntA 19). "
    "The federal integration credit is paid only as far as canton and communes match it (VIntA 16 para. 3)."
)


async def _spent_by_source(
    session: AsyncSession, programme: FundingProgramme, first: int, last: int
) -> dict[str, Decimal]:
    rows = await session.execute(
        select(ActualSpending.source, sum_chf(ActualSpending.amount))
        .where(ActualSpending.programme_id == programme.id, ActualSpending.year.between(first, last))
        .group_by(ActualSpending.source)
    )
    return {source: amount for source, amount in rows}


async def settlement(session: AsyncSession, programme: FundingProgramme, as_of: dt.date, goals_met: bool) -> Settlement:
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
