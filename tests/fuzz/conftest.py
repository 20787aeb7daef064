"""Fuzzing fixtures: the real services and the gateway as processes, on seeded databases, and a request counter.

One platform serves the whole session (programme, funding, evaluation; funding and evaluation check ids against
the programme process; the gateway in front of all three). Its databases are SQLite, or PostgreSQL with
`KIP_FUZZ_BACKEND=postgresql` (and `KIP_TEST_POSTGRES_URL`). `fuzz_log` counts every generated request per
service, so each module can assert the number it actually sent instead of an estimate.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fuzzing import FuzzLog

from support.platform import Platform, installed, running_platform

BACKEND = os.environ.get("KIP_FUZZ_BACKEND", "sqlite")


@pytest.fixture(scope="session")
def fuzz_log() -> FuzzLog:
    return FuzzLog()


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    # Every generated request counts: the fuzzer's own token is no caller to rate-limit.
    limit: dict[str, str | None] = {"GATEWAY_RATE_LIMIT": "1000000/minute"}
    yield from running_platform(
        BACKEND, tmp_path_factory.mktemp("fuzz"), "fuzz", env=limit, gateway=installed("gateway")
    )
