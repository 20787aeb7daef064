"""Fault fixtures: the real services behind misbehaving proxies, and the gateway in front of the proxies."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))

from support.platform import SERVICES, Platform, prepare, start
from support.toxic import Toxic

#: Short budgets so the faults show within seconds: one call 1 s, a composed view 2 s.
CALL_TIMEOUT = 1.0
VIEW_TIMEOUT = 2.0


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, dict[str, Toxic]]]:
    platform = prepare("sqlite", tmp_path_factory.mktemp("faults"), "faults")
    toxics: dict[str, Toxic] = {}
    try:
        for name, package, prefix in SERVICES:
            platform.start_service(name, package, prefix)
            url = urlparse(platform.url(name))
            toxics[name] = Toxic(url.hostname or "127.0.0.1", url.port or 80).start()
        env = dict(platform.env)
        for name, _, prefix in SERVICES:
            env[f"GATEWAY_{prefix}_URL"] = toxics[name].url
            env[f"GATEWAY_{name.upper()}_TIMEOUT"] = str(CALL_TIMEOUT)
        env["GATEWAY_CONNECT_TIMEOUT"] = str(CALL_TIMEOUT)
        for view in ("CANTON_VIEW", "SEM_OVERVIEW", "ANNUAL_REPORT", "SUBMIT", "PARTNER_VIEW"):
            env[f"GATEWAY_{view}_TIMEOUT"] = str(VIEW_TIMEOUT)
        env["GATEWAY_DOCS_PREFETCH"] = "false"
        platform.processes["gateway"] = start("gateway", "gateway", env, platform.tmp)
        yield platform, toxics
    finally:
        platform.stop()
