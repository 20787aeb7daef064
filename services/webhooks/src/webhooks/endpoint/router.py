"""HTTP routes of webhook endpoints (`/v1/webhooks`)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.etag import IfMatchHeader, set_etag
from kit.pagination import PageDep
from kit.problems import problem_responses
from webhooks.endpoint import service
from webhooks.endpoint.schemas import (
    WebhookEndpointCreate,
    WebhookEndpointCreated,
    WebhookEndpointPage,
    WebhookEndpointRead,
    WebhookEndpointUpdate,
    WebhookSecretRead,
    WebhookSecretRotation,
)

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], responses=problem_responses(401, 422))


def _private(request: Request) -> bool:
    return bool(request.app.state.settings.allow_private_urls)


@router.get("", response_model=WebhookEndpointPage, summary="List the caller's webhook endpoints")
async def list_endpoints(session: SessionDep, principal: PrincipalDep, page: PageDep) -> WebhookEndpointPage:
    """The endpoints the caller's audience registered (SEM's, one canton's or one partner's); another owner's
    never show."""
    items, total = await service.list_endpoints(session, principal, page)
    return WebhookEndpointPage(
        items=[service.to_read(e) for e in items], total=total, limit=page.limit, offset=page.offset
    )


@router.post(
    "",
    response_model=WebhookEndpointCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Register a webhook endpoint (the answer shows its signing secret, once)",
    responses=problem_responses(403, 503),
)
async def create_endpoint(
    data: WebhookEndpointCreate, request: Request, session: SessionDep, principal: PrincipalDep, response: Response
) -> WebhookEndpointCreated:
    """Registers an https URL for event types of the catalogue (`/asyncapi.json`), optionally for one programme.
    The answer carries the `whsec_` signing secret: it is shown only here and on rotation. A private, loopback
    or link-local address is a 422 unless the platform allows them."""
    endpoint = await service.create_endpoint(session, principal, data, request.app.state.catalogue, _private(request))
    set_etag(response, endpoint.version)
    response.headers["Location"] = f"/v1/webhooks/{endpoint.id}"
    return WebhookEndpointCreated.model_validate(endpoint)


@router.get(
    "/{endpoint_id}",
    response_model=WebhookEndpointRead,
    summary="Read a webhook endpoint",
    responses=problem_responses(404),
)
async def get_endpoint(
    endpoint_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, response: Response
) -> WebhookEndpointRead:
    """One endpoint of the caller's audience, with its ETag; another owner's endpoint is a 404."""
    endpoint = await service.get_visible_endpoint(session, principal, endpoint_id)
    set_etag(response, endpoint.version)
    return service.to_read(endpoint)


@router.patch(
    "/{endpoint_id}",
    response_model=WebhookEndpointRead,
    summary="Change a webhook endpoint, or re-enable it",
    responses=problem_responses(403, 404, 412, 428, 503),
)
async def update_endpoint(
    endpoint_id: uuid.UUID,
    data: WebhookEndpointUpdate,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> WebhookEndpointRead:
    """Changes the URL, event types or filter, or re-enables an endpoint that was disabled after failures or a
    410; send the ETag you read in `If-Match`. Canton viewers read but do not change."""
    endpoint = await service.update_endpoint(
        session, principal, endpoint_id, data, if_match, request.app.state.catalogue, _private(request)
    )
    set_etag(response, endpoint.version)
    request.app.state.delivery_wakeup.notify()
    return service.to_read(endpoint)


@router.delete(
    "/{endpoint_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a webhook endpoint and its deliveries",
    responses=problem_responses(403, 404, 412, 428),
)
async def delete_endpoint(
    endpoint_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, if_match: IfMatchHeader = None
) -> Response:
    """Removes the endpoint and its delivery log; nothing more is sent to it. Send the ETag you read in `If-
    Match`."""
    await service.delete_endpoint(session, principal, endpoint_id, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{endpoint_id}/secret",
    response_model=WebhookSecretRead,
    summary="Rotate the signing secret (the old one keeps signing during the overlap)",
    responses=problem_responses(403, 404),
)
async def rotate_secret(
    endpoint_id: uuid.UUID,
    data: WebhookSecretRotation,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
) -> WebhookSecretRead:
    """Issues a new signing secret (shown once). During `overlap_hours` every delivery carries signatures with
    both the new and the old secret, so the receiver can switch without losing a delivery."""
    endpoint = await service.rotate_secret(session, principal, endpoint_id, data.overlap_hours)
    set_etag(response, endpoint.version)
    return WebhookSecretRead(secret=endpoint.secret, previous_secret_expires_at=endpoint.previous_secret_expires_at)
