"""`/docs` in a real browser: Debian's headless Chromium renders the Swagger UI from the gateway's own assets
and lists the operations of the gateway and of the services (`make browser` installs Chromium)."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
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
from tests.gateway.conftest import INSTALLED, _service_app

CHROMIUM = Path("/usr/bin/chromium")
#: In CI (`.ci/run` runs `make browser` first) a missing browser fails the test; elsewhere it is skipped.
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"), reason="Chromium is not installed; run `make browser`"
)


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
    with tempfile.TemporaryDirectory(prefix="gw-chromium-") as profile:
        result = subprocess.run(  # noqa: S603 - a fixed local binary with fixed arguments
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                f"--user-data-dir={profile}",
                "--virtual-time-budget=15000",
                "--dump-dom",
                f"{served_gateway}/docs",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    dom = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert "swagger-ui" in dom
    # Operations rendered by Swagger UI's JavaScript (not in the served HTML): the gateway's and a service's.
    assert 'data-path="/api/v1/views/partners/me"' in dom, dom[-3000:]
    assert 'data-path="/api/programme/v1/programmes"' in dom
    for service in INSTALLED:
        assert f'data-path="/api/{service}/v1/' in dom, service
