"""End to end: the four real processes on free ports, on SQLite and on PostgreSQL, reached through the gateway."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kit import testing
from support.platform import Platform, running_platform


@pytest.fixture(scope="module", params=testing.backends())
def platform(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with pytest.MonkeyPatch.context() as env:
        # The evaluation service's today: the year the walk goes through (2026) has ended, so its report is due.
        env.setenv("EVALUATION_TODAY", "2027-02-15")
        yield from running_platform(request.param, tmp_path_factory.mktemp("e2e"), "e2e")
