"""The common shape of a service app: lifespan with engine and sessions, problems, request ids, health."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import APIRouter, Depends, FastAPI, Request

from kit.audit import ScopeFn, default_scope
from kit.auth import TokenVerifier
from kit.characters import refuse_control_characters
from kit.conditional import ConditionalGetMiddleware
from kit.db import create_engine, make_session_factory, read_engine, write_queue
from kit.db_problems import install_database_problem_handlers
from kit.docs import install_docs
from kit.event_feed import Wakeup, events_router
from kit.events import Catalogue
from kit.head import HeadMiddleware
from kit.health import health_router
from kit.i18n import LanguageMiddleware, Msg
from kit.limits import BodyLimitMiddleware
from kit.observability import install_observability
from kit.openapi import add_problem_schema, declare_tags, openapi_options
from kit.problems import PROBLEM_MEDIA_TYPE, InvalidInput, install_problem_handlers
from kit.proxies import install_proxy_headers
from kit.relay import start_relay, stop_relay
from kit.settings import AuthSettings, ServiceSettings
from kit.startup import freeze_startup_objects as freeze_startup_objects

LifespanHook = Callable[[FastAPI], Any]
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


def valid_request_id(value: str) -> bool:
    """Take a caller's request id when it is short and plain (other systems use their own formats)."""
    return bool(_REQUEST_ID.match(value))


def _query_names(dependant: Any) -> set[str]:
    names = {str(p.alias) for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def single_valued_query(request: Request) -> None:
    """A declared query parameter takes one value: `?year=2024&year=2025` is refused (422 naming it), not read as
    whichever value the framework happens to keep. No operation of the services declares a list in the query."""
    if not request.scope.get("query_string"):
        return  # no query at all (a read by id): nothing can repeat
    dependant = getattr(request.scope.get("route"), "dependant", None)
    declared = _query_names(dependant) if dependant is not None else set()
    seen: set[str] = set()
    for name, _ in request.query_params.multi_items():
        if name in seen and name in declared:
            raise InvalidInput(
                Msg("The query parameter {name} is given more than once.", name=name), field=["query", name]
            )
        seen.add(name)


def create_service_app(
    *,
    title: str,
    package: str,
    description: str,
    settings: ServiceSettings,
    routers: Sequence[APIRouter],
    auth_settings: AuthSettings | None = None,
    openapi_tags: list[dict[str, Any]] | None = None,
    on_startup: LifespanHook | None = None,
    on_shutdown: LifespanHook | None = None,
    version: str = "1.0.0",
    audit_model: type[Any] | None = None,
    audit_scope: ScopeFn = default_scope,
    events: Catalogue | None = None,
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url, echo=settings.sql_echo, pool_size=settings.pool_size)
        app.state.engine = engine
        app.state.session_factory = make_session_factory(engine)
        app.state.read_session_factory = make_session_factory(read_engine(engine))
        app.state.sqlite_write_queue = write_queue(engine)
        app.state.token_verifier = TokenVerifier(auth_settings or AuthSettings())
        if on_startup is not None:
            result = on_startup(app)
            if hasattr(result, "__await__"):
                await result
        relay = await start_relay(app) if events is not None else None
        freeze_startup_objects()
        try:
            yield
        finally:
            if relay is not None:
                await stop_relay(relay)
            if on_shutdown is not None:
                result = on_shutdown(app)
                if hasattr(result, "__await__"):
                    await result
            await engine.dispose()

    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        openapi_tags=openapi_tags,
        dependencies=[Depends(single_valued_query), Depends(refuse_control_characters)],
        docs_url=None,  # served from local files by `install_docs`
        redoc_url=None,
        **openapi_options(),
    )
    app.state.settings = settings
    if audit_model is not None:
        app.state.audit = (audit_model, audit_scope)
    if events is not None:
        app.state.events, app.state.event_wakeup = events, Wakeup()
    install_problem_handlers(app)
    install_database_problem_handlers(app)
    app.add_middleware(ConditionalGetMiddleware)  # inside HEAD: a HEAD is answered as its GET
    app.add_middleware(HeadMiddleware)
    app.add_middleware(BodyLimitMiddleware)  # inside the access log: refused bodies are logged and counted
    install_observability(app, package)  # before the request-id middleware, so it runs inside it
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID", validator=valid_request_id)
    app.add_middleware(LanguageMiddleware)  # problems of every layer below speak the caller's language
    install_proxy_headers(app)  # outermost: the client address is settled before anything logs it
    app.include_router(health_router(package))
    install_docs(app)
    for router in [*routers, *([events_router(events)] if events is not None else [])]:
        app.include_router(router)
    _add_problem_schema(app)
    return app


def _add_problem_schema(app: FastAPI) -> None:
    """Document problem responses everywhere: `ProblemDetail` as a component, and on every operation the
    statuses any request can meet (401 without a valid token, 400 for a body that is not JSON, 408 and 413 for a
    body too slow or too large, 422 for invalid input, 404 for an unknown id), all as `application/problem+json`."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        add_problem_schema(schema)
        components = schema["components"]["schemas"]
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                _document_problems(path, operation)
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        declare_tags(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


_PROBLEM_CONTENT = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}}


def _document_problems(path: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    if path.startswith("/v1/"):
        responses.setdefault("401", {"description": "Missing, expired or invalid bearer token."})
    if operation.get("parameters") or operation.get("requestBody"):
        responses.setdefault("422", {"description": "Invalid input; `errors` names the fields."})
    if operation.get("requestBody"):
        responses.setdefault("400", {"description": "The body is not valid JSON."})
        responses.setdefault("408", {"description": "The body did not arrive within `KIP_BODY_READ_TIMEOUT`."})
        responses.setdefault("413", {"description": "The body is larger than the route's limit (`kit.limits`)."})
    if "{" in path:
        responses.setdefault("404", {"description": "No such resource, or not visible to the caller."})
    for status, response in responses.items():
        if status.startswith(("4", "5")):
            response["content"] = dict(_PROBLEM_CONTENT)
