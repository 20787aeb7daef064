"""The gateway's app: `uvicorn gateway.main:create_app --factory --port 8000`.

It owns no data: the lifespan makes one long-lived client per service, reads the services' OpenAPI documents,
and prepares token verification. Routes: the composed views under `/api/v1/views`, every service's API under
`/api/<service>`, `/openapi.json` and `/docs` for all of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import httpx
from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from gateway import events, forwarding, health, labels
from gateway.admission import AdmissionMiddleware
from gateway.cache import PartCache
from gateway.clients import Clients
from gateway.cors import install_cors
from gateway.docs.router import STATIC_URL, ServiceDocs, swagger_ui_dir
from gateway.docs.router import router as docs_router
from gateway.door import DoorMiddleware
from gateway.errors import install_gateway_handlers
from gateway.invalidation import WriteMarkMiddleware, start_follower, stop_follower
from gateway.problem_instance import ProblemInstanceMiddleware
from gateway.ratelimit import RateLimitMiddleware, rate_limit_options
from gateway.settings import SERVICES, GatewaySettings
from gateway.upstream import Upstream, make_upstream_client
from gateway.views import router as views_router
from kit.auth import TokenVerifier
from kit.conditional import ConditionalGetMiddleware
from kit.docs import mount_assets
from kit.head import HeadMiddleware
from kit.i18n import LanguageMiddleware
from kit.limits import LimitSettings
from kit.observability import Metrics, install_observability
from kit.openapi import add_problem_schema, openapi_options
from kit.problems import install_problem_handlers
from kit.proxies import install_proxy_headers
from kit.settings import AuthSettings
from kit.startup import freeze_startup_objects

DESCRIPTION = """
The single entry point of the KIP platform (cantonal integration programmes).

* **Views** (`/api/v1/views/…`) compose what the canton, SEM and the partners need from all services in one call.
  Parts that could not be fetched in time are left out and named in `degraded`.
* **Service APIs** (`/api/programme/…`, `/api/funding/…`, `/api/evaluation/…`, `/api/webhooks/…`) are forwarded as
  they are; webhook endpoints also as `/api/v1/webhooks/…`.
* **Events** (`/api/v1/events?after=<cursor>`): every change you may see, as CloudEvents, resumable; every event
  type and its schema: [`/asyncapi.json`](/asyncapi.json) (AsyncAPI 3).

Every call needs `Authorization: Bearer <token>` (`kip token --role canton-editor --canton BL`).
Errors are `application/problem+json`; a service that does not answer in time is a `504`, one that cannot be
reached or fails a `502`, both naming the service. Under more load than the platform serves at once, requests wait
their turn before they start; one that cannot start in time is a `503` (`overloaded`, with `Retry-After`).
"""

TAGS = [
    {"name": "canton views", "description": "The cantonal integration office's cockpit and its annual report."},
    {"name": "SEM views", "description": "Every canton's programme, annual reports as submitted."},
    {"name": "partner views", "description": "A partner organisation's own agreements, payments and duties."},
    {"name": "events", "description": "The platform's domain events: a resumable feed (catalogue: /asyncapi.json)."},
    {"name": "health", "description": "Liveness and readiness of the gateway."},
    {"name": "labels", "description": "Reference data's labels in German, French, Italian and English."},
]


def create_app(
    settings: GatewaySettings | None = None,
    auth_settings: AuthSettings | None = None,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
) -> FastAPI:
    """`transports` replaces the network for named services (tests wire the service apps in-process)."""
    settings = settings or GatewaySettings()
    transports = transports or {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        clients = {s: make_upstream_client(settings, s, transports.get(s)) for s in SERVICES}
        upstreams = {s: Upstream(s, c, settings.max_upstream_body_bytes) for s, c in clients.items()}
        app.state.upstreams = upstreams
        cache = (
            PartCache(settings.view_cache_max_bytes, settings.view_cache_trust_seconds)
            if settings.view_cache == "on"
            else None
        )
        app.state.view_cache, app.state.clients = cache, Clients.from_upstreams(upstreams, cache)
        if cache is not None:  # the follower that keeps the view cache true starts when the cache is first used
            cache.starter = partial(start_follower, settings, cache, upstreams, auth_settings)
        app.state.token_verifier = TokenVerifier(auth_settings or AuthSettings())
        app.state.service_docs = ServiceDocs(upstreams, settings.docs_fetch_timeout)
        # Read the services' documents in the background: a slow service must not delay the gateway's start.
        docs_task = asyncio.create_task(
            app.state.service_docs.refresh_missing() if settings.docs_prefetch else asyncio.sleep(0)
        )
        freeze_startup_objects()
        try:
            yield
        finally:
            docs_task.cancel()
            await asyncio.gather(docs_task, return_exceptions=True)
            await stop_follower(cache.follower if cache is not None else None)
            await asyncio.gather(*(c.aclose() for c in clients.values()))

    app = FastAPI(
        title="KIP platform",
        description=DESCRIPTION,
        version="1.0.0",
        lifespan=lifespan,
        openapi_tags=TAGS,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        **openapi_options(),
    )
    app.state.settings = settings
    install_problem_handlers(app)
    install_gateway_handlers(app)
    metrics = Metrics("gateway")
    # Inside the access log and the request id: a request's logged time includes its wait for admission.
    app.add_middleware(
        AdmissionMiddleware,
        max_in_flight=settings.max_in_flight,
        timeout=settings.admission_timeout,
        send_hold=settings.admission_send_hold,
        send_timeout=settings.send_timeout,
        registry=metrics.registry,
    )
    # A refused caller takes no admission slot; problems get the caller's `instance` before HEAD drops bodies.
    app.add_middleware(RateLimitMiddleware, **rate_limit_options(settings))
    # Outside admission and rate limits: a request's body is in, within its bounds, before it waits for a slot.
    app.add_middleware(
        DoorMiddleware, limits=LimitSettings(), per_caller=settings.max_uploads_per_caller, at_once=settings.max_uploads
    )
    app.add_middleware(ProblemInstanceMiddleware)
    app.add_middleware(ConditionalGetMiddleware)  # views get an ETag; a service's own ETag and 304 pass through
    app.add_middleware(WriteMarkMiddleware)  # a write distrusts its caller's kept view parts (read-your-writes)
    app.add_middleware(HeadMiddleware)
    install_observability(app, "gateway", metrics)  # before the request-id middleware, so its log line sees the id
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID")
    app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_minimum_size)
    app.add_middleware(LanguageMiddleware)  # around admission and rate limits, so their problems are translated
    install_cors(app, settings.cors_origins)  # a preflight meets nothing else
    install_proxy_headers(app)  # outermost: the client address is settled before anything logs it
    app.include_router(health.router)
    app.include_router(views_router)
    app.include_router(events.router)
    app.include_router(labels.router)
    app.include_router(docs_router)
    app.mount(STATIC_URL, StaticFiles(directory=swagger_ui_dir()), name="swagger-ui")
    mount_assets(app)  # ReDoc's script
    app.include_router(forwarding.router)
    _add_problem_schema(app)
    return app


def _add_problem_schema(app: FastAPI) -> None:
    """Make `ProblemDetail` a named component so the views' problem responses can reference it."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        add_problem_schema(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
