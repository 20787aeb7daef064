"""End to end: the four real processes on free ports, on SQLite and on PostgreSQL, reached through the gateway."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))

from kit import testing
from support.platform import Platform, running_platform


@pytest.fixture(scope="module", params=testing.backends())
def platform(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with pytest.MonkeyPatch.context() as env:
        # The evaluation service's today: the year the walk goes through (2026) has ended, so its report is due.
        env.setenv("EVALUATION_TODAY", "2027-02-15")
        yield from running_platform(request.param, tmp_path_factory.mktemp("e2e"), "e2e")
