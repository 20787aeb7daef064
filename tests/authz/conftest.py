"""Authorization fixtures: seeded databases per backend; the helpers of this folder and tests/support on the path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kit import testing
from support.platform import Platform, prepare

SERVICES = ["programme", "funding", "evaluation"]


@pytest.fixture(params=testing.backends())
def seeded_platform(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Platform]:
    """The three services' databases, migrated and seeded, on SQLite and on PostgreSQL (kip_test_authz_*)."""
    yield prepare(str(request.param), tmp_path, "authz", services=SERVICES)
