"""Every service's schema is built by its migrations alone, they reproduce its models exactly, and a model change
without a migration is detected: one test, run for each service on each backend."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData

from kit import testing
from kit.schema_check import round_trip, schema_differences

#: Each service with the table the drift check adds a column to.
SERVICES = {
    "programme": "measure",
    "funding": "disbursement",
    "evaluation": "indicator_value",
    "webhooks": "webhook_endpoint",
}


def _metadata(service: str) -> MetaData:
    metadata: MetaData = importlib.import_module(f"{service}.models").Base.metadata
    return metadata


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_migrations_round_trip_and_match_models(service: str, backend: str, tmp_path: Path) -> None:
    url = testing.fresh_database(backend, f"{service}_migrations", tmp_path)
    round_trip(service, url)
    assert schema_differences(url, _metadata(service)) == []


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_a_model_change_without_migration_is_detected(service: str, backend: str, tmp_path: Path) -> None:
    url = testing.fresh_database(backend, f"{service}_drift", tmp_path)
    round_trip(service, url)
    drifted = MetaData()
    for table in _metadata(service).sorted_tables:
        table.to_metadata(drifted)
    drifted.tables[SERVICES[service]].append_column(Column("unmigrated", Integer))
    assert any("unmigrated" in str(d) for d in schema_differences(url, drifted))
