"""Which programmes the caller may read or change money of, and their funding settings."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from funding.funding_programme.models import FundingProgramme
from funding.funding_programme.schemas import FundingSettingsRead, FundingSettingsWrite
from funding.problems import SemDecides
from funding.upstream import ProgrammeService
from kit.auth import Principal
from kit.etag import check_version
from kit.i18n import Msg
from kit.problems import Forbidden, InvalidInput, NotFound
from kit.programme_reader import Programme


def to_read(programme: FundingProgramme) -> FundingSettingsRead:
    return FundingSettingsRead(
        programme_id=programme.id,
        canton=programme.canton,
        first_year=programme.first_year,
        last_year=programme.last_year,
        third_parties_count_toward_match=programme.third_parties_count_toward_match,
        version=programme.version,
    )


def visible_programme_ids(principal: Principal) -> Select[uuid.UUID]:
    """The ids of the programmes whose finances the caller may read: SEM every canton's, canton staff their own;
    partners read no programme finances (403)."""
    if principal.is_partner:
        raise Forbidden(Msg("Partners read their own agreements and disbursements, not programme finances."))
    query = select(FundingProgramme.id)
    if not principal.is_sem:
        query = query.where(FundingProgramme.canton == principal.canton)
    return query


async def get_visible_programme(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID
) -> FundingProgramme:
    """The programme's funding records if the caller may read them; foreign and unknown answer alike (404)."""
    programme = await session.get(FundingProgramme, programme_id)
    if programme is None or not principal.can_read_canton(programme.canton):
        raise NotFound(Msg("No funding records for programme {programme_id}.", programme_id=programme_id))
    return programme


async def get_editable(session: AsyncSession, principal: Principal, programme_id: uuid.UUID) -> FundingProgramme:
    programme = await get_visible_programme(session, principal, programme_id)
    principal.require_editor(programme.canton)
    return programme


async def register(session: AsyncSession, info: Programme) -> FundingProgramme:
    """Record (or refresh) the programme's canton and period as the programme service just answered them."""
    programme = await session.get(FundingProgramme, info.id)
    if programme is None:
        programme = FundingProgramme(
            id=info.id, canton=info.canton, first_year=info.first_year, last_year=info.last_year
        )
        session.add(programme)
        await session.flush()
    elif (programme.canton, programme.first_year, programme.last_year) != (
        info.canton,
        info.first_year,
        info.last_year,
    ):
        programme.canton, programme.first_year, programme.last_year = info.canton, info.first_year, info.last_year
        await session.flush()
    return programme


async def checked_for_write(
    session: AsyncSession, principal: Principal, programmes: ProgrammeService, programme_id: uuid.UUID
) -> FundingProgramme:
    """Ask the programme service (503 when unreachable, 422 when unknown), require a canton editor, register."""
    info = await programmes.require_programme(programme_id)
    principal.require_editor(info.canton)
    return await register(session, info)


def check_year(programme: FundingProgramme, year: int, field: list[str | int], *, carry_over: int = 0) -> None:
    last = programme.last_year + carry_over
    if not programme.first_year <= year <= last:
        raise InvalidInput(
            Msg(
                "Year {year} is outside the programme's years {first_year}–{last}.",
                year=year,
                first_year=programme.first_year,
                last=last,
            ),
            field=field,
        )


async def put_settings(
    session: AsyncSession,
    principal: Principal,
    programmes: ProgrammeService,
    programme_id: uuid.UUID,
    data: FundingSettingsWrite,
    if_match: str | None,
) -> FundingProgramme:
    """SEM's decision (the canton cannot raise how much federal money it may draw): anyone else gets 403."""
    if not principal.is_sem:
        raise SemDecides(
            Msg(
                "Whether third-party money counts toward matching the federal "
                "integration credit decides how much federal money the canton may draw; "
                "SEM sets it.",
            )
        )
    existing = await session.get(FundingProgramme, programme_id)
    if existing is not None:
        check_version(existing.version, if_match)
    info = await programmes.require_programme(programme_id, ("path", "programme_id"))
    programme = await register(session, info)
    programme.third_parties_count_toward_match = data.third_parties_count_toward_match
    await session.flush()
    return programme
