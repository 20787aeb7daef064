"""Signing, terminating and closing agreements. Signing checks the credit ceiling under a lock on the credits, so
two signings racing each other never together exceed a credit."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from funding.agreement.models import Agreement, AgreementLine
from funding.agreement.schemas import AgreementStatus
from funding.agreement.service import get_editable, get_version
from funding.allocation.service import ensure_ifk_within_allocation
from funding.commitments import sum_chf
from funding.credit.service import ensure_within_credits
from funding.disbursement.models import Disbursement, DisbursementLine
from funding.problems import AgreementAmountExceeded, InvalidTransition, LineExceeded
from funding.programme_fact import service as programme_facts
from kit.auth import Principal
from kit.db import utcnow
from kit.i18n import Msg

OPEN_OR_DONE = ("requested", "approved", "paid")
ZERO = Decimal("0.00")


async def _ensure_disbursements_fit(session: AsyncSession, agreement: Agreement, lines: list[AgreementLine]) -> None:
    """An amendment may not grant a year, or a line, less than is already requested, approved or paid on it."""
    per_year: dict[int, Decimal] = {}
    for line in lines:
        per_year[line.year] = per_year.get(line.year, ZERO) + line.amount
    rows = await session.execute(
        select(Disbursement.year, sum_chf(Disbursement.amount))
        .where(Disbursement.agreement_id == agreement.id, Disbursement.status.in_(OPEN_OR_DONE))
        .group_by(Disbursement.year)
    )
    for year, disbursed in rows:
        granted = per_year.get(year, ZERO)
        if disbursed > granted:
            raise AgreementAmountExceeded(
                Msg(
                    "CHF {disbursed} is already requested or paid for {year}; this version grants only CHF {granted}.",
                    disbursed=disbursed,
                    year=year,
                    granted=granted,
                ),
                agreement_id=str(agreement.id),
                year=year,
                amount_over=str(disbursed - granted),
                headroom="0.00",
            )
    per_line = {(x.year, x.funding_area_id, x.source): x.amount for x in lines}
    line_rows = await session.execute(
        select(
            DisbursementLine.year,
            DisbursementLine.funding_area_id,
            DisbursementLine.source,
            sum_chf(DisbursementLine.amount),
        )
        .join(Disbursement, Disbursement.id == DisbursementLine.disbursement_id)
        .where(DisbursementLine.agreement_id == agreement.id, Disbursement.status.in_(OPEN_OR_DONE))
        .group_by(DisbursementLine.year, DisbursementLine.funding_area_id, DisbursementLine.source)
    )
    for year, area, source, disbursed in line_rows:
        granted = per_line.get((year, area, source), ZERO)
        if disbursed > granted:
            raise LineExceeded(
                Msg(
                    "CHF {disbursed} is already requested or paid on the {year} line of "
                    "funding area {area} and {source}; this version grants only CHF "
                    "{granted} there.",
                    disbursed=disbursed,
                    year=year,
                    area=area,
                    source=source,
                    granted=granted,
                ),
                agreement_id=str(agreement.id),
                line={"year": year, "funding_area_id": str(area), "source": source},
                granted=str(granted),
                amount_over=str(disbursed - granted),
                headroom="0.00",
            )


async def sign(session: AsyncSession, principal: Principal, agreement_id: uuid.UUID, if_match: str | None) -> Agreement:
    agreement = await get_editable(session, principal, agreement_id, if_match)
    if agreement.status not in (AgreementStatus.DRAFT, AgreementStatus.SIGNED):
        raise InvalidTransition(Msg("A {status} agreement cannot be signed.", status=agreement.status))
    if agreement.signed_version == agreement.current_version:
        raise InvalidTransition(
            Msg(
                "Version {current_version} is signed already; amend it to sign again.",
                current_version=agreement.current_version,
            )
        )
    version = await get_version(session, agreement, agreement.current_version)
    await programme_facts.require_partner_active(session, agreement.partner_id)
    signed = await get_version(session, agreement, agreement.signed_version) if agreement.signed_version else None
    earlier = {uuid.UUID(m) for m in signed.measure_ids} if signed is not None else set()
    measure_ids = [uuid.UUID(m) for m in version.measure_ids]
    await programme_facts.require_measures_open(session, measure_ids, ["current", "measure_ids"], earlier)
    lines = list((await session.scalars(select(AgreementLine).where(AgreementLine.version_id == version.id))).all())
    await ensure_within_credits(
        session, agreement.programme_id, agreement.id, [(x.year, x.source, x.amount) for x in lines]
    )
    await ensure_ifk_within_allocation(
        session, agreement.programme_id, agreement.id, [(x.year, x.source, x.amount) for x in lines]
    )
    await _ensure_disbursements_fit(session, agreement, lines)
    version.signed_by = principal.subject
    version.signed_at = utcnow()
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_version = version.number
    await session.flush()
    return agreement


async def finish(
    session: AsyncSession, principal: Principal, agreement_id: uuid.UUID, if_match: str | None, to: AgreementStatus
) -> Agreement:
    """signed → terminated (early end: only what was approved or paid stays committed) or signed → closed."""
    agreement = await get_editable(session, principal, agreement_id, if_match)
    if agreement.status != AgreementStatus.SIGNED:
        raise InvalidTransition(
            Msg("Only a signed agreement can become {to}; this one is {status}.", to=to, status=agreement.status)
        )
    agreement.status = to
    await session.flush()
    return agreement
