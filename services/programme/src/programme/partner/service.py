"""Use cases of partner organisations. A partner sees only itself; a canton its own partners."""

from __future__ import annotations

import uuid

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Principal
from kit.etag import check_version
from kit.i18n import Msg
from kit.pagination import PageParams, paginate
from kit.problems import Forbidden, InvalidInput, NotFound
from programme.partner.models import Partner
from programme.partner.schemas import PartnerCreate, PartnerKind, PartnerRead, PartnerUpdate
from programme.problems import PartnerSlugTaken, PartnerUidTaken

NOT_NULLABLE = {"name", "short_name", "kind", "status"}


def to_read(partner: Partner) -> PartnerRead:
    return PartnerRead.model_validate(partner, from_attributes=True)


def can_see_partner(principal: Principal, partner: Partner) -> bool:
    if principal.is_partner:
        return partner.id == principal.partner_id
    return principal.can_read_canton(partner.canton)


async def get_visible_partner(session: AsyncSession, principal: Principal, partner_id: uuid.UUID) -> Partner:
    partner = await session.get(Partner, partner_id)
    if partner is None or not can_see_partner(principal, partner):
        raise NotFound(Msg("No partner {partner_id}.", partner_id=partner_id))
    return partner


async def list_partners(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    canton: str | None,
    kind: PartnerKind | None,
    q: str | None,
) -> tuple[list[Partner], int]:
    query = select(Partner)
    if principal.is_partner:
        query = query.where(Partner.id == principal.partner_id)
    elif not principal.is_sem:
        query = query.where(Partner.canton == principal.canton)
    if canton is not None:
        query = query.where(Partner.canton == canton)
    if kind is not None:
        query = query.where(Partner.kind == kind)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(or_(func.lower(Partner.name).like(pattern), func.lower(Partner.short_name).like(pattern)))
    return await paginate(session, query.order_by(Partner.short_name, Partner.id), page)


async def _ensure_unique(session: AsyncSession, slug: str | None, uid: str | None, own_id: uuid.UUID | None) -> None:
    if slug is not None:
        other = await session.scalar(select(Partner.id).where(Partner.slug == slug))
        if other and other != own_id:
            raise PartnerSlugTaken(Msg("The slug {slug} is taken by partner {other}.", slug=repr(slug), other=other))
    if uid is not None:
        other = await session.scalar(select(Partner.id).where(Partner.uid == uid))
        if other and other != own_id:
            raise PartnerUidTaken(Msg("The UID {uid} is registered for partner {other} already.", uid=uid, other=other))


async def create_partner(session: AsyncSession, principal: Principal, data: PartnerCreate) -> Partner:
    canton = str(data.canton)
    if not principal.can_edit_canton(canton):
        raise Forbidden(Msg("Only a canton editor of {canton} may register its partners.", canton=canton))
    await _ensure_unique(session, data.slug, data.uid, None)
    values = data.model_dump()
    values["canton"] = canton
    partner = Partner(**values)
    session.add(partner)
    await session.flush()
    return partner


async def update_partner(
    session: AsyncSession, principal: Principal, partner_id: uuid.UUID, data: PartnerUpdate, if_match: str | None
) -> Partner:
    partner = await get_visible_partner(session, principal, partner_id)
    principal.require_editor(partner.canton)
    check_version(partner.version, if_match)
    changes = data.model_dump(exclude_unset=True)
    for key in NOT_NULLABLE & changes.keys():
        if changes[key] is None:
            raise InvalidInput(Msg("{key} cannot be null.", key=key), field=["body", key])
    await _ensure_unique(session, None, changes.get("uid"), partner.id)
    for key, value in changes.items():
        setattr(partner, key, value)
    await session.flush()
    return partner
