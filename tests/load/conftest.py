"""Load fixtures: the four real processes, seeded, on SQLite (and PostgreSQL when configured)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))

from kit import testing
from support.platform import SERVICES, Platform, prepare


@pytest.fixture(scope="module", params=testing.backends())
def platform(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    running = prepare(request.param, tmp_path_factory.mktemp("load"), "load")
    try:
        for name, package, prefix in SERVICES:
            running.start_service(name, package, prefix)
        running.start_gateway()
        yield running
    finally:
        running.stop()
