"""Whose forwarding headers a process believes: only its configured proxies' (`KIP_TRUSTED_PROXIES`).

`X-Forwarded-For` and `X-Forwarded-Proto` say who the client is and how it connected, and anyone can send them.
A process takes them only from a direct peer listed in `KIP_TRUSTED_PROXIES` (addresses or networks, comma
separated; default: none), through uvicorn's `ProxyHeadersMiddleware`; from anyone else the client is the peer
itself. uvicorn's own handling, which trusts loopback by default, is switched off where the platform starts its
processes (`--no-proxy-headers`); `kip run` trusts loopback in the services, where the gateway runs.
The gateway drops every client's forwarding headers and sets its own (`gateway.forwarding`).
"""

from __future__ import annotations

from fastapi import FastAPI
from pydantic_settings import BaseSettings, SettingsConfigDict
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


class ProxySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KIP_", extra="ignore")

    trusted_proxies: str = ""


def install_proxy_headers(app: FastAPI, settings: ProxySettings | None = None) -> None:
    """Add last (outermost), so the access log and everything inside see the client the trusted proxy named."""
    trusted = (settings or ProxySettings()).trusted_proxies.strip()
    if trusted:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=trusted)
