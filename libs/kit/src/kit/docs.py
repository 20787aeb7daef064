"""`/docs` (Swagger UI) and `/redoc` (ReDoc) with their scripts served by the process itself, never from a CDN.

The platform runs in closed networks, where FastAPI's default pages (scripts from jsDelivr, fonts from Google)
stay blank. The files come from the `fastapi-offline` package on disk (it ships Swagger UI's bundle and CSS and
ReDoc's standalone script); only its files are used, not its app factory.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs/assets"


def assets_dir() -> Path:
    """The folder of Swagger UI's and ReDoc's built files inside the installed `fastapi_offline` package."""
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the fastapi-offline package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def redoc_page(request: Request, title: str, openapi_url: str = "/openapi.json") -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_redoc_html(
        openapi_url=f"{root}{openapi_url}",
        title=title,
        redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
        redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
        with_google_fonts=False,
    )


def mount_assets(app: FastAPI) -> None:
    app.mount(ASSETS_URL, StaticFiles(directory=assets_dir()), name="docs-assets")


def install_docs(app: FastAPI) -> None:
    """Swagger UI at `/docs` and ReDoc at `/redoc` for a service app made with `docs_url=None, redoc_url=None`."""
    mount_assets(app)
    title = f"{app.title} — API"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}/openapi.json",
            title=title,
            swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            swagger_ui_parameters={"persistAuthorization": True, "displayRequestDuration": True},
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        return redoc_page(request, title)
