"""The webhooks service's app: `uvicorn webhooks.main:create_app --factory --port 8004`."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from kit.app import create_service_app
from kit.audit_api import audit_router
from kit.event_feed import Wakeup
from kit.settings import AuthSettings
from webhooks.audit import AuditRecord, audit_scope
from webhooks.delivery.router import router as delivery_router
from webhooks.dispatch.runner import Dispatcher
from webhooks.endpoint.catalogue import EventCatalogue
from webhooks.endpoint.router import router as endpoint_router
from webhooks.settings import WebhooksSettings

DESCRIPTION = """
Signed webhooks for the platform's domain events, in the [Standard Webhooks](https://www.standardwebhooks.com)
format: register an HTTPS endpoint for the event types you want (`/asyncapi.json` of the gateway lists them), keep
the signing secret shown once, and verify every delivery (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
Each endpoint receives what its owner may read: SEM every event, a canton its canton's, a partner its own.
Deliveries are at least once, in order per subject, retried with back-off for more than a day; the delivery log
shows every attempt.

Every `/v1` call needs `Authorization: Bearer <token>`. Changes send `If-Match` with the ETag last read.
Errors are `application/problem+json`.
"""

TAGS = [
    {"name": "webhooks", "description": "Webhook endpoints, their secrets and their delivery log."},
    {"name": "audit", "description": "The append-only, hash-chained trail of every change."},
    {"name": "health", "description": "Liveness and readiness."},
]


def create_app(settings: WebhooksSettings | None = None, auth_settings: AuthSettings | None = None) -> FastAPI:
    settings = settings or WebhooksSettings()
    auth = auth_settings or AuthSettings()

    async def start(app: FastAPI) -> None:
        app.state.delivery_wakeup = Wakeup()
        app.state.catalogue_client = httpx.AsyncClient(trust_env=False)
        app.state.catalogue = EventCatalogue(settings, app.state.catalogue_client)
        app.state.dispatcher = Dispatcher(app, settings, auth) if settings.dispatch else None
        if app.state.dispatcher is not None:
            app.state.dispatcher.start()

    async def stop(app: FastAPI) -> None:
        if app.state.dispatcher is not None:
            await app.state.dispatcher.stop()
        await app.state.catalogue_client.aclose()

    return create_service_app(
        title="KIP webhooks service",
        package="webhooks",
        description=DESCRIPTION,
        settings=settings,
        auth_settings=auth,
        routers=[endpoint_router, delivery_router, audit_router(AuditRecord)],
        openapi_tags=TAGS,
        on_startup=start,
        on_shutdown=stop,
        audit_model=AuditRecord,
        audit_scope=audit_scope,
    )
