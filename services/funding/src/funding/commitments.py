"""What the canton has committed, as SQL: the definition the credit ceiling and the financial report share.

The commitments of a programme are, per year, funding area and source:
- for every agreement that is **signed** or **closed**: the lines of its signed version (amendments count once
  they are signed; an unsigned amendment commits nothing yet);
- for every agreement that was **terminated**: only what was actually approved or paid to it.
Drafts commit nothing. The commitments against a credit are those of the credit's programme whose year lies in
the credit's years and whose source is one of the credit's sources.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import ColumnElement, Subquery, and_, func, literal_column, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from funding.agreement.models import Agreement, AgreementLine, AgreementVersion
from funding.common import Programmes, of_programmes
from funding.credit.models import Credit, CreditSource
from funding.disbursement.models import Disbursement, DisbursementLine
from kit.money import RappenType

COMMITTING = ("signed", "closed")
SPENT_ON_TERMINATED = ("approved", "paid")


def sum_chf(column: ColumnElement[Decimal] | QueryableAttribute[Decimal]) -> ColumnElement[Decimal]:
    """SUM of a Rappen column, 0 when there are no rows, read back as CHF."""
    return func.coalesce(func.sum(column), literal_column("0"), type_=RappenType())


def commitment_rows(programmes: Programmes) -> Subquery:
    """Columns: agreement_id, programme_id, year, funding_area_id, source, amount, illustrative (the agreement, or
    for a terminated one the agreement or the disbursement, is illustrative); of one programme, or of every
    programme a query selects."""
    signed = (
        select(
            Agreement.id.label("agreement_id"),
            Agreement.programme_id,
            AgreementLine.year,
            AgreementLine.funding_area_id,
            AgreementLine.source,
            AgreementLine.amount,
            Agreement.illustrative,
        )
        .join(
            AgreementVersion,
            and_(AgreementVersion.agreement_id == Agreement.id, AgreementVersion.number == Agreement.signed_version),
        )
        .join(AgreementLine, AgreementLine.version_id == AgreementVersion.id)
        .where(of_programmes(Agreement.programme_id, programmes), Agreement.status.in_(COMMITTING))
    )
    terminated = (
        select(
            DisbursementLine.agreement_id,
            DisbursementLine.programme_id,
            DisbursementLine.year,
            DisbursementLine.funding_area_id,
            DisbursementLine.source,
            DisbursementLine.amount,
            or_(Agreement.illustrative, Disbursement.illustrative).label("illustrative"),
        )
        .join(Disbursement, Disbursement.id == DisbursementLine.disbursement_id)
        .join(Agreement, Agreement.id == DisbursementLine.agreement_id)
        .where(
            of_programmes(DisbursementLine.programme_id, programmes),
            Agreement.status == "terminated",
            Disbursement.status.in_(SPENT_ON_TERMINATED),
        )
    )
    return union_all(signed, terminated).subquery("commitment")


async def committed_against(
    session: AsyncSession, credit: Credit, sources: Iterable[str], *, excluding: uuid.UUID | None = None
) -> Decimal:
    """The commitments a credit carries (optionally without one agreement's)."""
    rows = commitment_rows(credit.programme_id)
    query = select(sum_chf(rows.c.amount)).where(
        rows.c.year.between(credit.first_year, credit.last_year), rows.c.source.in_(list(sources))
    )
    if excluding is not None:
        query = query.where(rows.c.agreement_id != excluding)
    return await session.scalar(query) or Decimal("0.00")


async def credit_sources(session: AsyncSession, credit_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    result: dict[uuid.UUID, list[str]] = {c: [] for c in credit_ids}
    if credit_ids:
        rows = await session.execute(
            select(CreditSource.credit_id, CreditSource.source)
            .where(CreditSource.credit_id.in_(credit_ids))
            .order_by(CreditSource.source)
        )
        for credit_id, source in rows:
            result[credit_id].append(source)
    return result
