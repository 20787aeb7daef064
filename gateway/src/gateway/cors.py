"""CORS for the web apps of cantons and partners: only the origins `GATEWAY_CORS_ORIGINS` names (none by default).

A preflight from an allowed origin is answered here, before authentication and rate limits; the headers a
browser may send and read are those the API uses (tokens, conditional requests, idempotency, languages, paging,
rate limits).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

ALLOWED_HEADERS = [
    "Authorization",
    "Content-Type",
    "Accept-Language",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "Prefer",
    "X-Request-ID",
]
EXPOSED_HEADERS = [
    "ETag",
    "Location",
    "Link",
    "Content-Language",
    "Content-Disposition",
    "Retry-After",
    "RateLimit",
    "RateLimit-Policy",
    "X-Request-ID",
]


def install_cors(app: FastAPI, origins: list[str]) -> None:
    """Outermost middleware, so a preflight never meets authentication; nothing is added without origins."""
    if not origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=ALLOWED_HEADERS,
        expose_headers=EXPOSED_HEADERS,
        max_age=600,
    )
