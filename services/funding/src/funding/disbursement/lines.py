"""Agreement lines as caps: what each disbursement puts on each line of its agreement (year × funding area × source),
and the check that no line is ever disbursed beyond what it grants."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from funding.agreement.models import Agreement, AgreementLine, AgreementVersion
from funding.commitments import sum_chf
from funding.disbursement.models import Disbursement, DisbursementLine
from funding.disbursement.schemas import DisbursementStatus
from funding.problems import LineExceeded
from kit.i18n import Msg

ZERO = Decimal("0.00")
COUNTING = (DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED, DisbursementStatus.PAID)
LineKey = tuple[uuid.UUID, str]


async def line_positions(
    session: AsyncSession, agreement: Agreement, year: int, excluding: uuid.UUID | None = None
) -> dict[LineKey, tuple[Decimal, Decimal]]:
    """Per line of the signed version for the year: (granted, on it already: the parts of the requested, approved
    and paid disbursements other than `excluding`)."""
    granted = await session.execute(
        select(AgreementLine.funding_area_id, AgreementLine.source, AgreementLine.amount)
        .join(AgreementVersion, AgreementVersion.id == AgreementLine.version_id)
        .where(
            AgreementVersion.agreement_id == agreement.id,
            AgreementVersion.number == agreement.signed_version,
            AgreementLine.year == year,
        )
    )
    query = (
        select(DisbursementLine.funding_area_id, DisbursementLine.source, sum_chf(DisbursementLine.amount))
        .join(Disbursement, Disbursement.id == DisbursementLine.disbursement_id)
        .where(
            DisbursementLine.agreement_id == agreement.id,
            DisbursementLine.year == year,
            Disbursement.status.in_(COUNTING),
        )
        .group_by(DisbursementLine.funding_area_id, DisbursementLine.source)
    )
    if excluding is not None:
        query = query.where(DisbursementLine.disbursement_id != excluding)
    used = {(a, s): amount for a, s, amount in await session.execute(query)}
    return {(a, s): (amount, used.get((a, s), ZERO)) for a, s, amount in granted}


def ensure_line_fits(
    agreement: Agreement, year: int, key: LineKey, position: tuple[Decimal, Decimal], amount: Decimal
) -> None:
    """An agreement line (year × funding area × source) is a cap: what is disbursed on it never passes it, so no
    money moves silently between sources or areas."""
    funding_area_id, source = key
    granted, used = position
    if used + amount > granted:
        headroom = max(granted - used, ZERO)
        raise LineExceeded(
            Msg(
                "The agreement's {year} line for funding area {funding_area_id} and "
                "{source} grants CHF {granted}; CHF {used} is disbursed on it, so only "
                "CHF {headroom} is left.",
                year=year,
                funding_area_id=funding_area_id,
                source=source,
                granted=granted,
                used=used,
                headroom=headroom,
            ),
            agreement_id=str(agreement.id),
            line={"year": year, "funding_area_id": str(funding_area_id), "source": source},
            granted=str(granted),
            amount_over=str(used + amount - granted),
            headroom=str(headroom),
        )


def part_of(d: Disbursement, agreement: Agreement, key: LineKey, amount: Decimal) -> DisbursementLine:
    return DisbursementLine(
        disbursement_id=d.id,
        funding_area_id=key[0],
        source=key[1],
        agreement_id=agreement.id,
        programme_id=agreement.programme_id,
        year=d.year,
        amount=amount,
    )
