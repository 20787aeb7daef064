"""`/docs` in a real browser: Debian's headless Chromium renders the Swagger UI from the gateway's own assets
and lists the operations of the gateway and of the services (`make browser` installs Chromium)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from gateway.main import create_app
from gateway.settings import GatewaySettings
from kit.settings import AuthSettings
from support.browser import dump_dom, needs_chromium
from tests.gateway.conftest import INSTALLED, _service_app

pytestmark = needs_chromium


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served_gateway(auth_settings: AuthSettings, tmp_path: Path) -> Iterator[str]:
    """A gateway on a free local port, its services in-process (only their OpenAPI documents are read)."""
    transports = {
        s: httpx.ASGITransport(app=_service_app(s, f"sqlite:///{tmp_path}/{s}.db", auth_settings)) for s in INSTALLED
    }
    app = create_app(GatewaySettings(), auth_settings, transports)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the gateway did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_docs_page_lists_gateway_and_service_operations_in_headless_chromium(served_gateway: str) -> None:
    result = dump_dom(f"{served_gateway}/docs")
    dom = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert "swagger-ui" in dom
    # Operations rendered by Swagger UI's JavaScript (not in the served HTML): the gateway's and a service's.
    assert 'data-path="/api/v1/views/partners/me"' in dom, dom[-3000:]
    assert 'data-path="/api/programme/v1/programmes"' in dom
    for service in INSTALLED:
        assert f'data-path="/api/{service}/v1/' in dom, service
