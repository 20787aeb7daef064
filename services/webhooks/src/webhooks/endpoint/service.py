"""Use cases of webhook endpoints. The owner is the caller's audience: SEM, one canton, or one partner; nobody
sees or changes another owner's endpoints (404), and a canton's viewers may read but not change its endpoints."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Principal, Role
from kit.db import utcnow
from kit.etag import check_version
from kit.pagination import PageParams, paginate
from kit.problems import Forbidden, InvalidInput, NotFound
from webhooks.delivery.models import WebhookAttempt, WebhookDelivery
from webhooks.dispatch.address import UnsafeUrl, check_url
from webhooks.dispatch.signing import new_secret
from webhooks.endpoint.catalogue import EventCatalogue
from webhooks.endpoint.models import WebhookEndpoint
from webhooks.endpoint.schemas import (
    WebhookEndpointCreate,
    WebhookEndpointRead,
    WebhookEndpointUpdate,
    WebhookOwnerRole,
)


def to_read(endpoint: WebhookEndpoint) -> WebhookEndpointRead:
    return WebhookEndpointRead.model_validate(endpoint, from_attributes=True)


def owner_of(principal: Principal) -> tuple[WebhookOwnerRole, str | None, uuid.UUID | None]:
    if principal.is_sem:
        return WebhookOwnerRole.SEM, None, None
    if principal.is_partner:
        return WebhookOwnerRole.PARTNER, None, principal.partner_id
    return WebhookOwnerRole.CANTON, principal.canton, None


def owner_principal(endpoint: WebhookEndpoint) -> Principal:
    """The audience an endpoint receives for: its owner, as the event feed's rules know it."""
    if endpoint.owner_role == WebhookOwnerRole.SEM:
        return Principal(f"webhook:{endpoint.id}", Role.SEM)
    if endpoint.owner_role == WebhookOwnerRole.PARTNER:
        return Principal(f"webhook:{endpoint.id}", Role.PARTNER, partner_id=endpoint.owner_partner_id)
    return Principal(f"webhook:{endpoint.id}", Role.CANTON_VIEWER, canton=endpoint.owner_canton)


def visible_endpoints(principal: Principal) -> Any:
    role, canton, partner_id = owner_of(principal)
    query = select(WebhookEndpoint).where(WebhookEndpoint.owner_role == role.value)
    if role is WebhookOwnerRole.CANTON:
        query = query.where(WebhookEndpoint.owner_canton == canton)
    if role is WebhookOwnerRole.PARTNER:
        query = query.where(WebhookEndpoint.owner_partner_id == partner_id)
    return query


def _require_writer(principal: Principal) -> None:
    if principal.role is Role.CANTON_VIEWER:
        raise Forbidden(f"Only a canton editor of {principal.canton} may change its webhooks.")


async def get_visible_endpoint(session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    found = await session.scalar(visible_endpoints(principal).where(WebhookEndpoint.id == endpoint_id))
    if found is None:
        raise NotFound(f"No webhook endpoint {endpoint_id}.")
    endpoint: WebhookEndpoint = found
    return endpoint


async def list_endpoints(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[WebhookEndpoint], int]:
    return await paginate(
        session, visible_endpoints(principal).order_by(WebhookEndpoint.created_at, WebhookEndpoint.id), page
    )


async def _check_url(url: str, allow_private: bool) -> None:
    try:
        await check_url(url, allow_private)
    except UnsafeUrl as exc:
        raise InvalidInput(str(exc), field=["body", "url"]) from exc


async def _check_types(types: list[str], catalogue: EventCatalogue) -> list[str]:
    known = await catalogue.types()
    for index, type_ in enumerate(types):
        if type_ not in known:
            raise InvalidInput(
                f"There is no event type {type_!r}; the types are listed in /asyncapi.json.",
                field=["body", "event_types", index],
            )
    return sorted(set(types))


async def create_endpoint(
    session: AsyncSession,
    principal: Principal,
    data: WebhookEndpointCreate,
    catalogue: EventCatalogue,
    allow_private: bool,
) -> WebhookEndpoint:
    _require_writer(principal)
    await _check_url(data.url, allow_private)
    types = await _check_types(data.event_types, catalogue)
    role, canton, partner_id = owner_of(principal)
    endpoint = WebhookEndpoint(
        url=data.url,
        description=data.description,
        event_types=types,
        programme_id=data.programme_id,
        owner_role=role.value,
        owner_canton=canton,
        owner_partner_id=partner_id,
        enabled=True,
        secret=new_secret(),
    )
    session.add(endpoint)
    await session.flush()
    return endpoint


async def update_endpoint(
    session: AsyncSession,
    principal: Principal,
    endpoint_id: uuid.UUID,
    data: WebhookEndpointUpdate,
    if_match: str | None,
    catalogue: EventCatalogue,
    allow_private: bool,
) -> WebhookEndpoint:
    endpoint = await get_visible_endpoint(session, principal, endpoint_id)
    _require_writer(principal)
    check_version(endpoint.version, if_match)
    changes = data.model_dump(exclude_unset=True)
    for key in ("url", "event_types", "enabled") & changes.keys():
        if changes[key] is None:
            raise InvalidInput(f"{key} cannot be null.", field=["body", key])
    if "url" in changes:
        await _check_url(changes["url"], allow_private)
    if "event_types" in changes:
        changes["event_types"] = await _check_types(changes["event_types"], catalogue)
    if changes.get("enabled") is True and not endpoint.enabled:
        endpoint.disabled_reason, endpoint.disabled_at, endpoint.failing_since = None, None, None
    if changes.get("enabled") is False and endpoint.enabled:
        endpoint.disabled_reason, endpoint.disabled_at = "disabled by its owner", utcnow()
    for key, value in changes.items():
        setattr(endpoint, key, value)
    await session.flush()
    return endpoint


async def delete_endpoint(
    session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID, if_match: str | None
) -> None:
    endpoint = await get_visible_endpoint(session, principal, endpoint_id)
    _require_writer(principal)
    check_version(endpoint.version, if_match)
    deliveries = select(WebhookDelivery.id).where(WebhookDelivery.endpoint_id == endpoint.id)
    await session.execute(delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(deliveries)))
    await session.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    await session.delete(endpoint)
    await session.flush()


async def rotate_secret(
    session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID, overlap_hours: float
) -> WebhookEndpoint:
    """A new secret; the current one keeps signing deliveries (beside the new) for `overlap_hours`."""
    endpoint = await get_visible_endpoint(session, principal, endpoint_id)
    _require_writer(principal)
    if overlap_hours > 0:
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = utcnow() + dt.timedelta(hours=overlap_hours)
    else:
        endpoint.previous_secret, endpoint.previous_secret_expires_at = None, None
    endpoint.secret = new_secret()
    await session.flush()
    return endpoint


def signing_secrets(endpoint: WebhookEndpoint, now: dt.datetime) -> list[str]:
    """The secrets a delivery is signed with now: the current one, and the previous one during its overlap."""
    found = [endpoint.secret]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires is not None and now < expires:
        found.append(endpoint.previous_secret)
    return found
