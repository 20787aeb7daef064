"""Use cases of the delivery log: an endpoint's owner reads its deliveries and attempts, and asks for a delivery to
be sent again (it goes out with its original `webhook-id`, so a receiver that has it already ignores it)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Principal
from kit.db import utcnow
from kit.pagination import PageParams, paginate
from kit.problems import NotFound
from webhooks.delivery.models import PENDING, WebhookAttempt, WebhookDelivery
from webhooks.delivery.schemas import WebhookDeliveryRead, WebhookDeliveryStatus
from webhooks.endpoint.service import _require_writer, get_visible_endpoint


def to_read(delivery: WebhookDelivery) -> WebhookDeliveryRead:
    return WebhookDeliveryRead.model_validate(delivery, from_attributes=True)


async def list_deliveries(
    session: AsyncSession,
    principal: Principal,
    endpoint_id: uuid.UUID,
    status: WebhookDeliveryStatus | None,
    page: PageParams,
) -> tuple[list[WebhookDelivery], int]:
    endpoint = await get_visible_endpoint(session, principal, endpoint_id)
    query = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
    if status is not None:
        query = query.where(WebhookDelivery.status == status.value)
    return await paginate(session, query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id), page)


async def get_visible_delivery(
    session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
) -> tuple[WebhookDelivery, list[WebhookAttempt]]:
    endpoint = await get_visible_endpoint(session, principal, endpoint_id)
    delivery = await session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.endpoint_id != endpoint.id:
        raise NotFound(f"No delivery {delivery_id} of webhook endpoint {endpoint_id}.")
    attempts = await session.scalars(
        select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery.id).order_by(WebhookAttempt.attempted_at)
    )
    return delivery, list(attempts)


async def redeliver(
    session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
) -> WebhookDelivery:
    """Send again from the start of the retry schedule (a delivered one too); it keeps its place in its subject's
    order, so it goes out once no earlier event of its subject is pending."""
    delivery, _ = await get_visible_delivery(session, principal, endpoint_id, delivery_id)
    _require_writer(principal)
    delivery.status, delivery.attempts, delivery.first_attempt_at = PENDING, 0, None
    delivery.next_attempt_at = utcnow()
    await session.flush()
    return delivery
