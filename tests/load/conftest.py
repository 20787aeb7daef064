"""Load fixtures: the four real processes, seeded, on SQLite (and PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kit import testing
from support.platform import Platform, running_platform


@pytest.fixture(scope="module", params=testing.backends())
def platform(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    yield from running_platform(request.param, tmp_path_factory.mktemp("load"), "load")
