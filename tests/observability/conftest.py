"""Fixtures for the observability tests: the real programme app on a migrated database, tokens, captured logs."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kit.auth import ensure_local_keypair, issue_token
from kit.observability import ACCESS_LOGGER, json_formatter
from kit.pytest_plugin import service_fixtures
from tests.support.otlp import Receiver, running_receiver

database_url, app, client = service_fixtures("programme", database="obs_programme", reset=False)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    """An OTLP/HTTP receiver on a local port, for the processes of a module to export their spans to."""
    with running_receiver() as server:
        yield server


@pytest.fixture
def bearer(key_dir: Path) -> Any:
    private_pem = ensure_local_keypair(key_dir)[0]

    def make(role: str, *, canton: str | None = None, partner_id: uuid.UUID | None = None) -> str:
        return issue_token(private_pem, role=role, canton=canton, partner_id=partner_id)

    return make


@pytest.fixture
def access_lines() -> Iterator[io.StringIO]:
    """What the access logger writes, formatted exactly as in production, one JSON object per line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    logger = logging.getLogger(ACCESS_LOGGER)
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
