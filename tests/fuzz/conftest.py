"""Fuzzing fixtures: the real services as processes, each on a seeded SQLite database, and a request counter.

One platform serves the whole session (programme, funding, evaluation; funding and evaluation check ids against
the programme process). `fuzz_log` counts every generated request per service, so each module can assert the
number it actually sent instead of an estimate.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fuzzing import FuzzLog

from support.platform import SERVICES, Platform, installed, prepare


@pytest.fixture(scope="session")
def fuzz_log() -> FuzzLog:
    return FuzzLog()


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    running = prepare("sqlite", tmp_path_factory.mktemp("fuzz"), "fuzz")
    try:
        for name, package, prefix in SERVICES:
            if installed(package):
                running.start_service(name, package, prefix)
        yield running
    finally:
        running.stop()
