"""Requesting disbursements, idempotently: one `Idempotency-Key` makes one disbursement, however many retries
arrive and however simultaneously. The agreement row is locked while its year's total is checked, so concurrent
requests never together pass the agreement's amount for the year."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVarTuple

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from funding.agreement.models import Agreement, AgreementLine, AgreementVersion
from funding.agreement.service import can_see_agreement
from funding.commitments import sum_chf
from funding.disbursement.lines import COUNTING, LineKey, ensure_line_fits, line_positions, part_of
from funding.disbursement.models import Disbursement, DisbursementLine
from funding.disbursement.schemas import (
    DisbursementCreate,
    DisbursementLineRead,
    DisbursementRead,
    DisbursementStatus,
    DisbursementTotal,
    DisbursementTotals,
)
from funding.problems import AgreementAmountExceeded, IdempotencyKeyReused, InvalidTransition
from funding.programme_fact import service as programme_facts
from funding.sources import Source
from kit.auth import Principal
from kit.canonical import sha256_hex
from kit.i18n import Msg
from kit.pagination import PageParams, paginate
from kit.problems import Forbidden, InvalidInput, NotFound

ZERO = Decimal("0.00")
Ts = TypeVarTuple("Ts")


async def read_many(session: AsyncSession, items: Sequence[Disbursement]) -> list[DisbursementRead]:
    parts: dict[uuid.UUID, list[DisbursementLineRead]] = defaultdict(list)
    if items:
        rows = await session.scalars(
            select(DisbursementLine)
            .where(DisbursementLine.disbursement_id.in_([d.id for d in items]))
            .order_by(DisbursementLine.source, DisbursementLine.funding_area_id)
        )
        for p in rows:
            parts[p.disbursement_id].append(
                DisbursementLineRead(funding_area_id=p.funding_area_id, source=Source(p.source), amount=p.amount)
            )
    result = []
    for d in items:
        values = {c.key: getattr(d, c.key) for c in Disbursement.__table__.columns}
        values["source"] = Source(d.source) if d.source else None
        values["lines"] = parts[d.id]
        result.append(DisbursementRead.model_validate(values))
    return result


async def to_read(session: AsyncSession, d: Disbursement) -> DisbursementRead:
    return (await read_many(session, [d]))[0]


def can_see_disbursement(principal: Principal, d: Disbursement) -> bool:
    if principal.is_partner:
        return d.partner_id == principal.partner_id
    return principal.can_read_canton(d.canton)


async def get_visible_disbursement(
    session: AsyncSession, principal: Principal, disbursement_id: uuid.UUID
) -> Disbursement:
    d = await session.get(Disbursement, disbursement_id)
    if d is None or not can_see_disbursement(principal, d):
        raise NotFound(Msg("No disbursement {disbursement_id}.", disbursement_id=disbursement_id))
    return d


def visible_disbursements(query: Select[*Ts], principal: Principal) -> Select[*Ts]:
    """Only the disbursements the caller may see: a partner its own, canton staff their canton's, SEM all."""
    if principal.is_partner:
        return query.where(Disbursement.partner_id == principal.partner_id)
    if not principal.is_sem:
        return query.where(Disbursement.canton == principal.canton)
    return query


async def list_disbursements(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    agreement_id: uuid.UUID | None,
    programme_id: uuid.UUID | None,
    status: DisbursementStatus | None,
) -> tuple[list[DisbursementRead], int]:
    query = visible_disbursements(select(Disbursement), principal)
    if agreement_id is not None:
        query = query.where(Disbursement.agreement_id == agreement_id)
    if programme_id is not None:
        query = query.where(Disbursement.programme_id == programme_id)
    if status is not None:
        query = query.where(Disbursement.status == str(status))
    items, total = await paginate(session, query.order_by(Disbursement.requested_at, Disbursement.id), page)
    return await read_many(session, items), total


async def totals_by_agreement(
    session: AsyncSession,
    principal: Principal,
    agreement_id: uuid.UUID | None,
    programme_id: uuid.UUID | None,
    partner_id: uuid.UUID | None,
) -> DisbursementTotals:
    """Count and sum per agreement and status in one GROUP BY over the disbursements the caller may see, so a
    caller that needs the figures never pages through the rows (on the agreement/partner/programme indexes)."""
    query = visible_disbursements(
        select(
            Disbursement.agreement_id,
            Disbursement.partner_id,
            Disbursement.status,
            func.count(),
            sum_chf(Disbursement.amount),
        ),
        principal,
    )
    for column, value in (
        (Disbursement.agreement_id, agreement_id),
        (Disbursement.programme_id, programme_id),
        (Disbursement.partner_id, partner_id),
    ):
        if value is not None:
            query = query.where(column == value)
    grouped = (Disbursement.agreement_id, Disbursement.partner_id, Disbursement.status)
    rows = await session.execute(query.group_by(*grouped).order_by(*grouped))
    return DisbursementTotals(
        items=[
            DisbursementTotal(agreement_id=a, partner_id=p, status=DisbursementStatus(s), count=n, amount=amount)
            for a, p, s, n, amount in rows
        ]
    )


def request_hash(data: DisbursementCreate) -> str:
    """The fingerprint an `Idempotency-Key` is bound to (ASCII-escaped canonical JSON: the form stored since the
    first disbursement, so a retry after an upgrade still matches)."""
    return sha256_hex(data.model_dump(mode="json"), ascii_only=True)


async def _by_key(session: AsyncSession, subject: str, key: str) -> Disbursement | None:
    return await session.scalar(
        select(Disbursement)
        .where(Disbursement.requested_by == subject, Disbursement.idempotency_key == key)
        .execution_options(populate_existing=True)
    )


def _replay(existing: Disbursement, body_hash: str) -> tuple[Disbursement, bool]:
    if existing.request_hash != body_hash:
        raise IdempotencyKeyReused(
            Msg("Idempotency-Key was used for another request (disbursement {id}); choose a new key.", id=existing.id),
            field=["header", "Idempotency-Key"],
        )
    return existing, False


async def lock_agreement(session: AsyncSession, agreement_id: uuid.UUID) -> Agreement | None:
    """The agreement row, locked for the rest of the transaction (PostgreSQL; SQLite serialises writers)."""
    return await session.scalar(
        select(Agreement)
        .where(Agreement.id == agreement_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def year_position(
    session: AsyncSession, agreement: Agreement, year: int, statuses: tuple[str, ...]
) -> tuple[Decimal, Decimal, set[tuple[uuid.UUID, str]]]:
    """(granted for the year by the signed version, disbursed in `statuses` for the year, the year's lines)."""
    lines = (
        await session.execute(
            select(AgreementLine.funding_area_id, AgreementLine.source, AgreementLine.amount)
            .join(AgreementVersion, AgreementVersion.id == AgreementLine.version_id)
            .where(
                AgreementVersion.agreement_id == agreement.id,
                AgreementVersion.number == agreement.signed_version,
                AgreementLine.year == year,
            )
        )
    ).all()
    used = await session.scalar(
        select(sum_chf(Disbursement.amount)).where(
            Disbursement.agreement_id == agreement.id, Disbursement.year == year, Disbursement.status.in_(statuses)
        )
    )
    granted = sum((amount for _, _, amount in lines), ZERO)
    return granted, used or ZERO, {(area, source) for area, source, _ in lines}


def ensure_fits(agreement: Agreement, year: int, granted: Decimal, used: Decimal, amount: Decimal) -> None:
    if used + amount > granted:
        headroom = max(granted - used, ZERO)
        raise AgreementAmountExceeded(
            Msg(
                "Agreement {id} grants CHF {granted} for {year}; CHF {used} is "
                "requested or paid, so only CHF {headroom} is left.",
                id=agreement.id,
                granted=granted,
                year=year,
                used=used,
                headroom=headroom,
            ),
            agreement_id=str(agreement.id),
            year=year,
            amount_over=str(used + amount - granted),
            headroom=str(headroom),
        )


async def request(
    session: AsyncSession, principal: Principal, data: DisbursementCreate, key: str
) -> tuple[Disbursement, bool]:
    """The disbursement and whether it was made now (False: a retry answered with the first one)."""
    body_hash = request_hash(data)
    existing = await _by_key(session, principal.subject, key)
    if existing is not None:
        return _replay(existing, body_hash)
    agreement = await session.get(Agreement, data.agreement_id)
    if agreement is None or not can_see_agreement(principal, agreement):
        raise InvalidInput(
            Msg("Unknown agreement {agreement_id}.", agreement_id=data.agreement_id), field=["body", "agreement_id"]
        )
    if not (principal.is_partner or principal.can_edit_canton(agreement.canton)):
        raise Forbidden(Msg("Only the partner or a canton editor may request a disbursement."))
    if data.amount <= 0:
        raise InvalidInput(Msg("A disbursement must be more than CHF 0."), field=["body", "amount"])
    agreement = await lock_agreement(session, data.agreement_id)
    assert agreement is not None
    existing = await _by_key(session, principal.subject, key)
    if existing is not None:
        return _replay(existing, body_hash)
    if agreement.status != "signed":
        raise InvalidTransition(
            Msg("Disbursements need a signed agreement; this one is {status}.", status=agreement.status)
        )
    await programme_facts.require_partner_active(session, agreement.partner_id)
    granted, used, lines = await year_position(session, agreement, data.year, COUNTING)
    if not lines:
        raise InvalidInput(Msg("The agreement grants nothing for {year}.", year=data.year), field=["body", "year"])
    line_key: LineKey | None = None
    if data.funding_area_id is not None and data.source is not None:
        line_key = (data.funding_area_id, str(data.source))
        if line_key not in lines:
            raise InvalidInput(
                Msg(
                    "The agreement has no {year} line for this funding area and {source}.",
                    year=data.year,
                    source=data.source,
                ),
                field=["body", "funding_area_id"],
            )
        positions = await line_positions(session, agreement, data.year)
        ensure_line_fits(agreement, data.year, line_key, positions[line_key], data.amount)
    elif data.funding_area_id is not None or data.source is not None:
        raise InvalidInput(
            Msg("Name a line with both funding_area_id and source, or neither (the approval allocates it then)."),
            field=["body", "source" if data.source is None else "funding_area_id"],
        )
    ensure_fits(agreement, data.year, granted, used, data.amount)
    disbursement = Disbursement(
        agreement_id=agreement.id,
        programme_id=agreement.programme_id,
        canton=agreement.canton,
        partner_id=agreement.partner_id,
        year=data.year,
        funding_area_id=data.funding_area_id,
        source=str(data.source) if data.source is not None else None,
        amount=data.amount,
        value_date=data.value_date,
        note=data.note,
        status=DisbursementStatus.REQUESTED,
        requested_by=principal.subject,
        idempotency_key=key,
        request_hash=body_hash,
    )
    try:
        async with session.begin_nested():
            session.add(disbursement)
            await session.flush()
            if line_key is not None:
                session.add(part_of(disbursement, agreement, line_key, data.amount))
    except IntegrityError:
        # A concurrent retry with the same key committed first (PostgreSQL): answer with its disbursement.
        existing = await _by_key(session, principal.subject, key)
        if existing is None:
            raise
        return _replay(existing, body_hash)
    return disbursement, True
