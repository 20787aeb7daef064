"""Fault fixtures: the real services behind misbehaving proxies, and the gateway in front of the proxies, on
SQLite and, when `KIP_TEST_POSTGRES_URL` is set, on PostgreSQL too."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from kit import testing
from support.platform import SERVICES, Platform, prepare, start
from support.toxic import Toxic

#: Short budgets so the faults show within seconds: one call 1 s, a composed view 2 s.
CALL_TIMEOUT = 1.0
VIEW_TIMEOUT = 2.0
#: The user property under which a test records its slowest view: (backend, fault, path, status, seconds).
SLOWEST = "slowest_view"


@pytest.fixture(scope="module", params=testing.backends())
def faulty(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Platform, dict[str, Toxic]]]:
    backend: str = request.param
    platform = prepare(backend, tmp_path_factory.mktemp(f"faults-{backend}"), "faults")
    toxics: dict[str, Toxic] = {}
    try:
        platform.start_services()
        for name, _, _ in SERVICES:
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
        for toxic in toxics.values():
            toxic.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How far past its timeout the slowest view came back, per backend: the figure the slack bounds."""
    worst: dict[str, tuple[str, str, int, float]] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for key, value in getattr(report, "user_properties", ()):
                if key != SLOWEST:
                    continue
                backend, fault, path, status, seconds = value
                if backend not in worst or seconds > worst[backend][3]:
                    worst[backend] = (fault, path, status, seconds)
    rss: dict[str, tuple[float, float]] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for key, value in getattr(report, "user_properties", ()):
                if key == "gateway_rss":
                    backend, now, peak = value
                    rss[backend] = (
                        max(now, rss.get(backend, (0.0, 0.0))[0]),
                        max(peak, rss.get(backend, (0.0, 0.0))[1]),
                    )
    for backend, (now, peak) in sorted(rss.items()):
        terminalreporter.write_line(
            f"faults on {backend}: gateway RSS at most {now:.0f} MiB after a fault, peak {peak:.0f} MiB (VmHWM)"
        )
    for backend, (fault, path, status, seconds) in sorted(worst.items()):
        terminalreporter.write_line(
            f"faults on {backend}: slowest view {seconds:.3f} s = timeout {VIEW_TIMEOUT:.1f} s "
            f"{'+' if seconds >= VIEW_TIMEOUT else '-'} {abs(seconds - VIEW_TIMEOUT) * 1000:.0f} ms "
            f"({fault}: {path}, HTTP {status})"
        )
