"""`/openapi.json` (the platform's one document), `/docs` (Swagger UI) and `/redoc` (ReDoc), assets served from here.

The platform runs in closed networks, so the Swagger UI files come from the `swagger-ui-py` package on disk,
never from a CDN. Service documents are read through the gateway's clients at startup; one that could not be
read then is asked for again on the next request for the document, so a late service appears without a restart.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from gateway.docs.merge import merged_document
from gateway.errors import UpstreamFailed, UpstreamTimeout
from gateway.settings import SERVICES
from gateway.upstream import Upstream
from kit.docs import redoc_page

logger = logging.getLogger("gateway.docs")

router = APIRouter(include_in_schema=False)
STATIC_URL = "/docs/static"


def swagger_ui_dir() -> Path:
    """The folder of Swagger UI's built files inside the installed `swagger_ui` package (not imported)."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the swagger-ui-py package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


class ServiceDocs:
    """The services' OpenAPI documents, kept once read; missing ones are asked for again when needed."""

    def __init__(self, upstreams: dict[str, Upstream], wait: float) -> None:
        self.upstreams = upstreams
        self.wait = wait
        self.documents: dict[str, dict[str, Any] | None] = dict.fromkeys(upstreams)
        self._lock = asyncio.Lock()

    async def _fetch(self, service: str) -> None:
        try:
            response = await self.upstreams[service].send("GET", "/openapi.json", None, wait=self.wait)
            document = response.json() if response.status_code == 200 else None
        except (UpstreamFailed, UpstreamTimeout, ValueError) as exc:
            logger.info("the %s service's OpenAPI document is not available yet: %s", service, exc)
            return
        if isinstance(document, dict) and "paths" in document:
            self.documents[service] = document

    async def require(self, service: str) -> dict[str, Any]:
        """The service's document, read now if it was not yet; the service's failure to give it is raised (504/502):
        the gateway forwards nothing it cannot check against the document."""
        document = self.documents.get(service)
        if document is not None:
            return document
        response = await self.upstreams[service].send("GET", "/openapi.json", None)
        try:
            document = response.json() if response.status_code == 200 else None
        except ValueError:
            document = None
        if not isinstance(document, dict) or "paths" not in document:
            raise UpstreamFailed(service, f"The {service} service gave no API description; nothing was forwarded.")
        self.documents[service] = document
        return document

    async def refresh_missing(self) -> None:
        async with self._lock:
            missing = [s for s, d in self.documents.items() if d is None]
            if missing:
                await asyncio.gather(*(self._fetch(s) for s in missing))


def gateway_openapi(app: FastAPI) -> dict[str, Any]:
    """The gateway's own document, cached once built."""
    own: dict[str, Any] | None = getattr(app.state, "own_openapi", None)
    if own is None:
        own = app.openapi()
        app.state.own_openapi = own
    return own


@router.get("/openapi.json")
async def openapi_document(request: Request) -> JSONResponse:
    docs: ServiceDocs = request.app.state.service_docs
    await docs.refresh_missing()
    order = tuple(s for s in SERVICES if s in docs.documents)
    return JSONResponse(merged_document(gateway_openapi(request.app), docs.documents, order))


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}/openapi.json",
        title="KIP platform — API",
        swagger_js_url=f"{root}{STATIC_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{STATIC_URL}/swagger-ui.css",
        swagger_favicon_url=f"{root}{STATIC_URL}/favicon-32x32.png",
        swagger_ui_parameters={"persistAuthorization": True, "displayRequestDuration": True},
    )


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    return redoc_page(request, "KIP platform — API")
