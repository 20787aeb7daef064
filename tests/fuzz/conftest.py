"""Fuzzing fixtures: the real services as processes, each on a seeded SQLite database."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))

from support.platform import Platform, prepare


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    running = prepare("sqlite", tmp_path_factory.mktemp("fuzz"), "fuzz")
    try:
        running.start_service("programme", "programme", "PROGRAMME")
        yield running
    finally:
        running.stop()
