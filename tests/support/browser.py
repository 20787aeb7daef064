"""Debian's headless Chromium (`make browser` installs it) and local static origins, for tests in a real browser."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: In CI (`.ci/run` runs `make browser` first) a missing browser fails the test; elsewhere it is skipped.
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"), reason="Chromium is not installed; run `make browser`"
)


def dump_dom(url: str, budget_ms: int = 15000) -> subprocess.CompletedProcess[str]:
    """Load `url` in a fresh headless Chromium profile; stdout is the DOM once the page's scripts have run."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        return subprocess.run(  # noqa: S603 - a fixed local binary with fixed arguments
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
                "--enable-logging=stderr",  # the console's messages (a CORS refusal's reason) on stderr
                f"--user-data-dir={profile}",
                f"--virtual-time-budget={budget_ms}",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


@contextmanager
def static_origin(page: str) -> Iterator[str]:
    """A local HTTP server on a free port answering every GET with the HTML `page`; yields its origin."""
    body = page.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
