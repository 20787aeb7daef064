"""What every view needs: the typed clients and the settings of the app it runs in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gateway.clients import Clients
from gateway.settings import GatewaySettings


async def _clients(request: Request) -> Clients:
    clients: Clients = request.app.state.clients
    return clients


async def _settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


ClientsDep = Annotated[Clients, Depends(_clients)]
SettingsDep = Annotated[GatewaySettings, Depends(_settings)]

#: Problems every view can answer besides its own.
VIEW_PROBLEMS = (401, 403, 404, 422, 502, 504)
