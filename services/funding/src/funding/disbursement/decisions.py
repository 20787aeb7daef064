"""Deciding on disbursements: approve (four eyes, within the agreement's line, year and the credits), reject, pay
(by a third person: neither the requester nor the approver)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from funding.credit.service import ensure_within_credits
from funding.disbursement.lines import LineKey, ensure_line_fits, line_positions, part_of
from funding.disbursement.models import Disbursement, DisbursementLine
from funding.disbursement.schemas import DisbursementApprove, DisbursementPay, DisbursementReject, DisbursementStatus
from funding.disbursement.service import ensure_fits, get_visible_disbursement, lock_agreement, year_position
from funding.problems import FourEyes, InvalidTransition, SeparationOfDuties
from kit.auth import Principal
from kit.db import utcnow
from kit.etag import check_version
from kit.i18n import Msg
from kit.problems import InvalidInput

ZERO = Decimal("0.00")


async def _editable(
    session: AsyncSession,
    principal: Principal,
    disbursement_id: uuid.UUID,
    if_match: str | None,
    expected: DisbursementStatus,
) -> Disbursement:
    d = await get_visible_disbursement(session, principal, disbursement_id)
    principal.require_editor(d.canton)
    check_version(d.version, if_match)
    if d.status != expected:
        raise InvalidTransition(
            Msg("The disbursement is {status}; this needs one that is {expected}.", status=d.status, expected=expected)
        )
    return d


async def approve(
    session: AsyncSession,
    principal: Principal,
    disbursement_id: uuid.UUID,
    data: DisbursementApprove,
    if_match: str | None,
) -> Disbursement:
    d = await _editable(session, principal, disbursement_id, if_match, DisbursementStatus.REQUESTED)
    if d.requested_by == principal.subject:
        raise FourEyes(
            Msg(
                "{subject} requested this disbursement and so cannot approve it; another editor must.",
                subject=principal.subject,
            ),
            requested_by=d.requested_by,
        )
    agreement = await lock_agreement(session, d.agreement_id)
    assert agreement is not None
    if agreement.status != "signed":
        raise InvalidTransition(
            Msg("The agreement is {status}; its disbursements can no longer be approved.", status=agreement.status)
        )
    decided = (DisbursementStatus.APPROVED, DisbursementStatus.PAID)
    granted, used, _ = await year_position(session, agreement, d.year, decided)
    ensure_fits(agreement, d.year, granted, used, d.amount)
    positions = await line_positions(session, agreement, d.year, excluding=d.id)
    existing = list(
        (await session.scalars(select(DisbursementLine).where(DisbursementLine.disbursement_id == d.id))).all()
    )
    parts = _allocation(d, data, positions, existing)
    for key, amount in parts.items():
        ensure_line_fits(agreement, d.year, key, positions[key], amount)
    for old in existing:
        await session.delete(old)
    await session.flush()
    session.add_all(part_of(d, agreement, key, amount) for key, amount in parts.items() if amount > 0)
    if len(parts) == 1 and d.funding_area_id is None:
        d.funding_area_id, d.source = next(iter(parts))
    await ensure_within_credits(session, d.programme_id, None, [], touched=[(d.year, s) for _, s in parts])
    d.status = DisbursementStatus.APPROVED
    d.decided_by = principal.subject
    d.decided_at = utcnow()
    await session.flush()
    return d


def _allocation(
    d: Disbursement,
    data: DisbursementApprove,
    positions: dict[LineKey, tuple[Decimal, Decimal]],
    existing: list[DisbursementLine],
) -> dict[LineKey, Decimal]:
    """The amount per line: as the body says, else as the request named, else in proportion to what is left."""
    if data.lines is not None:
        parts: dict[LineKey, Decimal] = {}
        for i, line in enumerate(data.lines):
            key = (line.funding_area_id, str(line.source))
            if key not in positions:
                raise InvalidInput(
                    Msg(
                        "The agreement has no {year} line for funding area {funding_area_id} and {source}.",
                        year=d.year,
                        funding_area_id=line.funding_area_id,
                        source=line.source,
                    ),
                    field=["body", "lines", i],
                )
            if key in parts:
                raise InvalidInput(Msg("Two parts name the same line."), field=["body", "lines", i])
            parts[key] = line.amount
        total = sum(parts.values(), ZERO)
        if total != d.amount:
            raise InvalidInput(
                Msg("The lines add up to CHF {total}; the disbursement is CHF {amount}.", total=total, amount=d.amount),
                field=["body", "lines"],
            )
        return parts
    if existing:
        return {(p.funding_area_id, p.source): p.amount for p in existing}
    left = {key: max(granted - used, ZERO) for key, (granted, used) in positions.items()}
    return proportional(d.amount, left)


def proportional(amount: Decimal, left: dict[LineKey, Decimal]) -> dict[LineKey, Decimal]:
    """`amount` split in proportion to `left` (largest remainder, whole Rappen); never more than a line has left,
    unless the lines have less left than the amount in all (then the check that follows refuses it)."""
    keys = sorted(left, key=lambda k: (k[1], str(k[0])))
    total = sum(left.values(), ZERO)
    if total <= amount or total == 0:
        parts = {k: left[k] for k in keys}
        if keys:
            first = max(keys, key=lambda k: left[k])
            parts[first] += amount - total  # beyond what is left: the line check refuses it with its headroom
        return parts
    rappen = int(amount * 100)
    shares = {k: Decimal(rappen) * left[k] / total for k in keys}
    floors = {k: int(shares[k]) for k in keys}
    rest = rappen - sum(floors.values())
    for k in sorted(keys, key=lambda k: (-(shares[k] - floors[k]), k[1], str(k[0])))[:rest]:
        floors[k] += 1
    return {k: Decimal(floors[k]) / 100 for k in keys}


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
            Msg(
                "{subject} {role} this disbursement and so cannot record it as paid; "
                "requester, approver and payer are three different people.",
                subject=principal.subject,
                role=role,
            ),
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
