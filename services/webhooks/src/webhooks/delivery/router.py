"""HTTP routes of the delivery log (`/v1/webhooks/{endpoint_id}/deliveries`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.pagination import PageDep
from kit.problems import problem_responses
from webhooks.delivery import service
from webhooks.delivery.schemas import (
    WebhookAttemptRead,
    WebhookDeliveryDetail,
    WebhookDeliveryPage,
    WebhookDeliveryRead,
    WebhookDeliveryStatus,
)

router = APIRouter(
    prefix="/v1/webhooks/{endpoint_id}/deliveries", tags=["webhooks"], responses=problem_responses(401, 404, 422)
)


@router.get("", response_model=WebhookDeliveryPage, summary="An endpoint's deliveries, newest first")
async def list_deliveries(
    endpoint_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    status: Annotated[WebhookDeliveryStatus | None, Query()] = None,
) -> WebhookDeliveryPage:
    """Every event delivery to the endpoint, newest first, optionally by status (`pending`, `delivered`,
    `failed`), with the number of attempts and the next try."""
    items, total = await service.list_deliveries(session, principal, endpoint_id, status, page)
    return WebhookDeliveryPage(
        items=[service.to_read(d) for d in items], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/{delivery_id}", response_model=WebhookDeliveryDetail, summary="A delivery and every attempt of it")
async def get_delivery(
    endpoint_id: uuid.UUID, delivery_id: uuid.UUID, session: SessionDep, principal: PrincipalDep
) -> WebhookDeliveryDetail:
    """One delivery with every attempt: when, the receiver's status code, the first characters of its answer,
    the duration or the error."""
    delivery, attempts = await service.get_visible_delivery(session, principal, endpoint_id, delivery_id)
    read = service.to_read(delivery)
    return WebhookDeliveryDetail(
        **read.model_dump(), attempt_log=[WebhookAttemptRead.model_validate(a) for a in attempts]
    )


@router.post(
    "/{delivery_id}/redeliver",
    response_model=WebhookDeliveryRead,
    status_code=202,
    summary="Send a delivery again",
    responses=problem_responses(403),
)
async def redeliver(
    endpoint_id: uuid.UUID, delivery_id: uuid.UUID, request: Request, session: SessionDep, principal: PrincipalDep
) -> WebhookDeliveryRead:
    """Sends the delivery again from the start of the retry schedule, a delivered one too (same `webhook-id`, so a
    receiver that de-duplicates processes it once); it keeps its place in its subject's order."""
    delivery = await service.redeliver(session, principal, endpoint_id, delivery_id)
    request.app.state.delivery_wakeup.notify()
    return service.to_read(delivery)
