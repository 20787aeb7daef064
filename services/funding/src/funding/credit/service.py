"""Use cases of credits, and the ceiling they set: locked, so concurrent signings never together exceed one."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from funding.commitments import committed_against, credit_sources
from funding.common import values_of
from funding.credit.models import Credit, CreditSource
from funding.credit.schemas import CreditCreate, CreditRead, CreditUpdate
from funding.funding_programme import service as programmes_service
from funding.problems import CreditExceeded
from funding.sources import Source
from funding.upstream import ProgrammeService
from kit.auth import Principal
from kit.etag import check_version
from kit.i18n import Msg
from kit.pagination import PageParams, paginate
from kit.problems import Forbidden, InvalidInput, NotFound

ZERO = Decimal("0.00")


async def to_read(session: AsyncSession, credit: Credit, sources: list[str] | None = None) -> CreditRead:
    if sources is None:
        sources = (await credit_sources(session, [credit.id]))[credit.id]
    used = await committed_against(session, credit, sources)
    return CreditRead(
        id=credit.id,
        programme_id=credit.programme_id,
        canton=credit.canton,
        body=credit.body,
        decision_date=credit.decision_date,
        reference=credit.reference,
        votes_for=credit.votes_for,
        votes_against=credit.votes_against,
        amount=credit.amount,
        first_year=credit.first_year,
        last_year=credit.last_year,
        sources=[Source(s) for s in sources],
        used=used,
        left=max(credit.amount - used, ZERO),
        note=credit.note,
        illustrative=credit.illustrative,
        source_note=credit.source_note,
        version=credit.version,
    )


async def get_visible_credit(session: AsyncSession, principal: Principal, credit_id: uuid.UUID) -> Credit:
    credit = await session.get(Credit, credit_id)
    if credit is None or not principal.can_read_canton(credit.canton):
        raise NotFound(Msg("No credit {credit_id}.", credit_id=credit_id))
    return credit


async def list_credits(
    session: AsyncSession, principal: Principal, page: PageParams, programme_id: uuid.UUID | None
) -> tuple[list[CreditRead], int]:
    if principal.is_partner:
        raise Forbidden(Msg("Partners read their own agreements and disbursements, not credits."))
    query = select(Credit)
    if not principal.is_sem:
        query = query.where(Credit.canton == principal.canton)
    if programme_id is not None:
        query = query.where(Credit.programme_id == programme_id)
    credits, total = await paginate(session, query.order_by(Credit.decision_date, Credit.id), page)
    sources = await credit_sources(session, [c.id for c in credits])
    return [await to_read(session, c, sources[c.id]) for c in credits], total


async def create_credit(
    session: AsyncSession, principal: Principal, programmes: ProgrammeService, data: CreditCreate
) -> Credit:
    programme = await programmes_service.checked_for_write(session, principal, programmes, data.programme_id)
    for field in ("first_year", "last_year"):
        programmes_service.check_year(programme, getattr(data, field), ["body", field])
    values = values_of(data, exclude={"sources", "programme_id"})
    credit = Credit(programme_id=programme.id, canton=programme.canton, **values)
    session.add(credit)
    await session.flush()
    session.add_all(CreditSource(credit_id=credit.id, source=str(s)) for s in data.sources)
    await session.flush()
    return credit


async def update_credit(
    session: AsyncSession, principal: Principal, credit_id: uuid.UUID, data: CreditUpdate, if_match: str | None
) -> Credit:
    credit = await get_visible_credit(session, principal, credit_id)
    principal.require_editor(credit.canton)
    check_version(credit.version, if_match)
    changes = values_of(data, exclude_unset=True)
    for key in ("body", "decision_date", "amount"):
        if key in changes and changes[key] is None:
            raise InvalidInput(Msg("{key} cannot be null.", key=key), field=["body", key])
    if "amount" in changes:
        await lock_credits(session, credit.programme_id)
        used = await committed_against(session, credit, (await credit_sources(session, [credit.id]))[credit.id])
        if changes["amount"] < used:
            raise CreditExceeded(
                Msg(
                    "CHF {used} is committed against credit {id}; its amount cannot drop below that.",
                    used=used,
                    id=credit.id,
                ),
                credit_id=str(credit.id),
                amount_over=str(used - changes["amount"]),
                headroom="0.00",
            )
    for key, value in changes.items():
        setattr(credit, key, value)
    await session.flush()
    return credit


async def lock_credits(session: AsyncSession, programme_id: uuid.UUID) -> list[Credit]:
    """Every credit of the programme, locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's writers are already
    serialised by `BEGIN IMMEDIATE`), always in id order so two lockers never deadlock."""
    query = (
        select(Credit)
        .where(Credit.programme_id == programme_id)
        .order_by(Credit.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list((await session.scalars(query)).all())


async def ensure_within_credits(
    session: AsyncSession,
    programme_id: uuid.UUID,
    agreement_id: uuid.UUID | None,
    lines: Sequence[tuple[int, str, Decimal]],
    *,
    touched: Sequence[tuple[int, str]] = (),
) -> None:
    """Refuse (409 `funding/credit-exceeded`) when the agreement's lines, replacing what it committed before, would
    take any credit covering them past its amount. `touched` adds (year, source) pairs to re-check even when the
    lines add nothing there (a disbursement approval)."""
    credits = await lock_credits(session, programme_id)
    sources = await credit_sources(session, [c.id for c in credits])
    for credit in credits:
        covered = set(sources[credit.id])

        def covers(year: int, source: str, credit: Credit = credit, covered: set[str] = covered) -> bool:
            return credit.first_year <= year <= credit.last_year and source in covered

        adding = sum((amount for year, source, amount in lines if covers(year, source)), ZERO)
        if adding == 0 and not any(covers(y, s) for y, s in touched):
            continue
        others = await committed_against(session, credit, covered, excluding=agreement_id)
        if others + adding > credit.amount:
            over = others + adding - credit.amount
            headroom = max(credit.amount - others, ZERO)
            raise CreditExceeded(
                Msg(
                    "Credit {id} ({body}, {decision_date}) authorises CHF {amount}; CHF "
                    "{others} is committed, so CHF {headroom} is left and this would exceed "
                    "it by CHF {over}.",
                    id=credit.id,
                    body=credit.body,
                    decision_date=credit.decision_date,
                    amount=credit.amount,
                    others=others,
                    headroom=headroom,
                    over=over,
                ),
                credit_id=str(credit.id),
                amount_over=str(over),
                headroom=str(headroom),
            )
