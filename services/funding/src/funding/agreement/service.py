"""Use cases of service agreements: draft, amend (a new version), read and list. Signing is in `signing`."""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from funding.agreement.models import Agreement, AgreementLine, AgreementVersion
from funding.agreement.schemas import (
    AgreementAmend,
    AgreementCreate,
    AgreementLineRead,
    AgreementRead,
    AgreementStatus,
    AgreementTerms,
    AgreementVersionRead,
)
from funding.funding_programme import service as programmes_service
from funding.funding_programme.models import FundingProgramme
from funding.problems import InvalidTransition
from funding.programme_fact import service as programme_facts
from funding.sources import Source
from funding.upstream import ProgrammeService
from kit.auth import Principal
from kit.etag import check_version
from kit.i18n import Msg
from kit.pagination import PageParams, paginate
from kit.problems import InvalidInput, NotFound

ZERO = Decimal("0.00")


def version_read(version: AgreementVersion, lines: list[AgreementLine]) -> AgreementVersionRead:
    return AgreementVersionRead(
        number=version.number,
        title=version.title,
        start_date=version.start_date,
        end_date=version.end_date,
        measure_ids=[uuid.UUID(m) for m in version.measure_ids],
        cost_cap=version.cost_cap,
        text=version.text,
        reason=version.reason,
        created_by=version.created_by,
        created_at=version.created_at,
        signed_by=version.signed_by,
        signed_at=version.signed_at,
        lines=[
            AgreementLineRead(year=x.year, funding_area_id=x.funding_area_id, source=Source(x.source), amount=x.amount)
            for x in sorted(lines, key=lambda x: (x.year, str(x.funding_area_id), x.source))
        ],
        total=sum((x.amount for x in lines), ZERO),
    )


async def _lines_of(session: AsyncSession, version_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[AgreementLine]]:
    result: dict[uuid.UUID, list[AgreementLine]] = defaultdict(list)
    if version_ids:
        for line in await session.scalars(select(AgreementLine).where(AgreementLine.version_id.in_(version_ids))):
            result[line.version_id].append(line)
    return result


async def read_many(session: AsyncSession, agreements: list[Agreement]) -> list[AgreementRead]:
    ids = [a.id for a in agreements]
    versions = (
        {
            v.agreement_id: v
            for v in (
                await session.scalars(
                    select(AgreementVersion)
                    .join(
                        Agreement,
                        and_(
                            Agreement.id == AgreementVersion.agreement_id,
                            Agreement.current_version == AgreementVersion.number,
                        ),
                    )
                    .where(Agreement.id.in_(ids))
                )
            )
        }
        if ids
        else {}
    )
    lines = await _lines_of(session, [v.id for v in versions.values()])
    return [to_read(a, versions[a.id], lines[versions[a.id].id]) for a in agreements]


def to_read(a: Agreement, current: AgreementVersion, lines: list[AgreementLine]) -> AgreementRead:
    return AgreementRead(
        id=a.id,
        programme_id=a.programme_id,
        canton=a.canton,
        partner_id=a.partner_id,
        reference=a.reference,
        status=AgreementStatus(a.status),
        current_version=a.current_version,
        signed_version=a.signed_version,
        current=version_read(current, lines),
        illustrative=a.illustrative,
        source_note=a.source_note,
        version=a.version,
    )


async def read_agreement(session: AsyncSession, agreement: Agreement) -> AgreementRead:
    return (await read_many(session, [agreement]))[0]


async def list_versions(session: AsyncSession, agreement: Agreement) -> list[AgreementVersionRead]:
    versions = (
        await session.scalars(
            select(AgreementVersion)
            .where(AgreementVersion.agreement_id == agreement.id)
            .order_by(AgreementVersion.number)
        )
    ).all()
    lines = await _lines_of(session, [v.id for v in versions])
    return [version_read(v, lines[v.id]) for v in versions]


async def get_version(session: AsyncSession, agreement: Agreement, number: int) -> AgreementVersion:
    version = await session.scalar(
        select(AgreementVersion).where(AgreementVersion.agreement_id == agreement.id, AgreementVersion.number == number)
    )
    if version is None:
        raise NotFound(Msg("Agreement {id} has no version {number}.", id=agreement.id, number=number))
    return version


def can_see_agreement(principal: Principal, agreement: Agreement) -> bool:
    return visible_to(principal, agreement.canton, agreement.partner_id)


def visible_to(principal: Principal, canton: str, partner_id: uuid.UUID) -> bool:
    """Who reads an agreement: its canton's readers, SEM, and the partner it is with."""
    if principal.is_partner:
        return partner_id == principal.partner_id
    return principal.can_read_canton(canton)


async def get_visible_agreement(session: AsyncSession, principal: Principal, agreement_id: uuid.UUID) -> Agreement:
    """The agreement if the caller may read it: its canton's readers, SEM, and the partner it is with."""
    agreement = await session.get(Agreement, agreement_id)
    if agreement is None or not can_see_agreement(principal, agreement):
        raise NotFound(Msg("No agreement {agreement_id}.", agreement_id=agreement_id))
    return agreement


async def get_editable(
    session: AsyncSession, principal: Principal, agreement_id: uuid.UUID, if_match: str | None
) -> Agreement:
    agreement = await get_visible_agreement(session, principal, agreement_id)
    principal.require_editor(agreement.canton)
    check_version(agreement.version, if_match)
    return agreement


async def list_agreements(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    programme_id: uuid.UUID | None,
    partner_id: uuid.UUID | None,
    status: AgreementStatus | None,
) -> tuple[list[AgreementRead], int]:
    query = select(Agreement)
    if principal.is_partner:
        query = query.where(Agreement.partner_id == principal.partner_id)
    elif not principal.is_sem:
        query = query.where(Agreement.canton == principal.canton)
    if programme_id is not None:
        query = query.where(Agreement.programme_id == programme_id)
    if partner_id is not None:
        query = query.where(Agreement.partner_id == partner_id)
    if status is not None:
        query = query.where(Agreement.status == str(status))
    agreements, total = await paginate(session, query.order_by(Agreement.created_at, Agreement.id), page)
    items = await read_many(session, agreements)
    deactivated = await programme_facts.deactivated_partners(session, {a.partner_id for a in items})
    closed = await programme_facts.closed_measures(session, {m for a in items for m in a.current.measure_ids})
    for item in items:
        item.partner_status = "deactivated" if item.partner_id in deactivated else "active"
        item.closed_measure_ids = [m for m in item.current.measure_ids if m in closed]
    return items, total


async def check_terms(
    programme: FundingProgramme,
    programmes: ProgrammeService,
    partner_id: uuid.UUID,
    terms: AgreementTerms,
) -> None:
    """Dates, years, lines and cost cap locally; funding areas and measures against the programme service."""
    if terms.end_date < terms.start_date:
        raise InvalidInput(Msg("end_date must not precede start_date."), field=["body", "end_date"])
    seen: set[tuple[int, uuid.UUID, str]] = set()
    for i, line in enumerate(terms.lines):
        if not terms.start_date.year <= line.year <= terms.end_date.year:
            raise InvalidInput(
                Msg("Year {year} lies outside the agreement's dates.", year=line.year),
                field=["body", "lines", i, "year"],
            )
        programmes_service.check_year(programme, line.year, ["body", "lines", i, "year"])
        key = (line.year, line.funding_area_id, str(line.source))
        if key in seen:
            raise InvalidInput(
                Msg("Two lines name the same year, funding area and source."), field=["body", "lines", i]
            )
        seen.add(key)
    total = sum((line.amount for line in terms.lines), ZERO)
    if terms.cost_cap is not None and total > terms.cost_cap:
        raise InvalidInput(
            Msg("The lines add up to CHF {total}, above the cost cap.", total=total), field=["body", "cost_cap"]
        )
    if len(set(terms.measure_ids)) != len(terms.measure_ids):
        raise InvalidInput(Msg("measure_ids must not repeat."), field=["body", "measure_ids"])
    areas = [(line.funding_area_id, ("body", "lines", i, "funding_area_id")) for i, line in enumerate(terms.lines)]
    await programmes.check_funding_areas(programme.id, areas)
    for i, measure_id in enumerate(terms.measure_ids):
        await programmes.check_measure(measure_id, programme.id, partner_id, ("body", "measure_ids", i))


async def _add_version(
    session: AsyncSession, agreement: Agreement, number: int, terms: AgreementTerms, author: str, reason: str | None
) -> AgreementVersion:
    version = AgreementVersion(
        agreement_id=agreement.id,
        number=number,
        title=terms.title,
        start_date=terms.start_date,
        end_date=terms.end_date,
        cost_cap=terms.cost_cap,
        measure_ids=[str(m) for m in terms.measure_ids],
        text=terms.text,
        reason=reason,
        created_by=author,
    )
    session.add(version)
    await session.flush()
    session.add_all(
        AgreementLine(
            version_id=version.id, year=x.year, funding_area_id=x.funding_area_id, source=str(x.source), amount=x.amount
        )
        for x in terms.lines
    )
    await session.flush()
    return version


async def create_agreement(
    session: AsyncSession, principal: Principal, programmes: ProgrammeService, data: AgreementCreate
) -> Agreement:
    programme = await programmes_service.checked_for_write(session, principal, programmes, data.programme_id)
    await programmes.require_partner(data.partner_id, programme.canton)
    await check_terms(programme, programmes, data.partner_id, data)
    await programme_facts.require_partner_active(session, data.partner_id)
    await programme_facts.require_measures_open(session, data.measure_ids, ["body", "measure_ids"])
    agreement = Agreement(
        programme_id=programme.id,
        canton=programme.canton,
        partner_id=data.partner_id,
        reference=data.reference,
        status=AgreementStatus.DRAFT,
        current_version=1,
        signed_version=None,
        illustrative=data.illustrative,
        source_note=data.source_note,
    )
    session.add(agreement)
    await session.flush()
    await _add_version(session, agreement, 1, data, principal.subject, None)
    return agreement


async def amend_agreement(
    session: AsyncSession,
    principal: Principal,
    programmes: ProgrammeService,
    agreement_id: uuid.UUID,
    data: AgreementAmend,
    if_match: str | None,
) -> Agreement:
    agreement = await get_editable(session, principal, agreement_id, if_match)
    if agreement.status not in (AgreementStatus.DRAFT, AgreementStatus.SIGNED):
        raise InvalidTransition(Msg("A {status} agreement can no longer be amended.", status=agreement.status))
    programme = await session.get(FundingProgramme, agreement.programme_id)
    assert programme is not None
    await programme_facts.require_partner_active(session, agreement.partner_id)
    current = await get_version(session, agreement, agreement.current_version)
    earlier = {uuid.UUID(m) for m in current.measure_ids}
    await check_terms(programme, programmes, agreement.partner_id, data)
    await programme_facts.require_measures_open(session, data.measure_ids, ["body", "measure_ids"], earlier)
    number = agreement.current_version + 1
    await _add_version(session, agreement, number, data, principal.subject, data.reason)
    agreement.current_version = number
    await session.flush()
    return agreement
