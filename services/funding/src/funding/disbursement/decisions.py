"""Deciding on disbursements: approve (four eyes, within the agreement's line, year and the credits), reject, pay
(by a third person: neither the requester nor the approver)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from funding.credit.service import ensure_within_credits
from funding.disbursement.models import Disbursement
from funding.disbursement.schemas import DisbursementPay, DisbursementReject, DisbursementStatus
from funding.disbursement.service import ensure_fits, ensure_line_fits, get_visible, lock_agreement, year_position
from funding.problems import FourEyes, InvalidTransition, SeparationOfDuties
from kit.auth import Principal
from kit.db import utcnow
from kit.etag import check_version


async def _editable(
    session: AsyncSession,
    principal: Principal,
    disbursement_id: uuid.UUID,
    if_match: str | None,
    expected: DisbursementStatus,
) -> Disbursement:
    d = await get_visible(session, principal, disbursement_id)
    principal.require_editor(d.canton)
    check_version(d.version, if_match)
    if d.status != expected:
        raise InvalidTransition(f"The disbursement is {d.status}; this needs one that is {expected}.")
    return d


async def approve(
    session: AsyncSession, principal: Principal, disbursement_id: uuid.UUID, if_match: str | None
) -> Disbursement:
    d = await _editable(session, principal, disbursement_id, if_match, DisbursementStatus.REQUESTED)
    if d.requested_by == principal.subject:
        raise FourEyes(
            f"{principal.subject} requested this disbursement and so cannot approve it; another editor must.",
            requested_by=d.requested_by,
        )
    agreement = await lock_agreement(session, d.agreement_id)
    assert agreement is not None
    if agreement.status != "signed":
        raise InvalidTransition(f"The agreement is {agreement.status}; its disbursements can no longer be approved.")
    decided = (DisbursementStatus.APPROVED, DisbursementStatus.PAID)
    await ensure_line_fits(session, agreement, d.year, d.funding_area_id, d.source, d.amount, decided)
    granted, used, _ = await year_position(session, agreement, d.year, decided)
    ensure_fits(agreement, d.year, granted, used, d.amount)
    await ensure_within_credits(session, d.programme_id, None, [], touched=[(d.year, d.source)])
    d.status = DisbursementStatus.APPROVED
    d.decided_by = principal.subject
    d.decided_at = utcnow()
    await session.flush()
    return d


async def reject(
    session: AsyncSession,
    principal: Principal,
    disbursement_id: uuid.UUID,
    data: DisbursementReject,
    if_match: str | None,
) -> Disbursement:
    d = await _editable(session, principal, disbursement_id, if_match, DisbursementStatus.REQUESTED)
    d.status = DisbursementStatus.REJECTED
    d.decided_by = principal.subject
    d.decided_at = utcnow()
    d.rejection_reason = data.reason
    await session.flush()
    return d


async def pay(
    session: AsyncSession,
    principal: Principal,
    disbursement_id: uuid.UUID,
    data: DisbursementPay,
    if_match: str | None,
) -> Disbursement:
    d = await _editable(session, principal, disbursement_id, if_match, DisbursementStatus.APPROVED)
    if principal.subject in (d.requested_by, d.decided_by):
        role = "approved" if principal.subject == d.decided_by else "requested"
        raise SeparationOfDuties(
            f"{principal.subject} {role} this disbursement and so cannot record it as paid; requester, approver "
            "and payer are three different people.",
            requested_by=d.requested_by,
            approved_by=d.decided_by,
        )
    d.status = DisbursementStatus.PAID
    d.paid_by = principal.subject
    d.paid_at = utcnow()
    if data.value_date is not None:
        d.value_date = data.value_date
    await session.flush()
    return d
