"""The schema is built by the migrations alone, and they reproduce the models exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit import testing
from kit.schema_check import round_trip, schema_differences
from webhooks.models import Base


@pytest.mark.parametrize("backend", testing.backends())
def test_migrations_round_trip_and_match_models(backend: str, tmp_path: Path) -> None:
    url = testing.fresh_database(backend, "webhooks_migrations", tmp_path)
    round_trip("webhooks", url)
    assert schema_differences(url, Base.metadata) == []


@pytest.mark.parametrize("backend", testing.backends())
def test_a_model_change_without_migration_is_detected(backend: str, tmp_path: Path) -> None:
    from sqlalchemy import Column, Integer, MetaData

    url = testing.fresh_database(backend, "webhooks_drift", tmp_path)
    round_trip("webhooks", url)
    drifted = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(drifted)
    drifted.tables["webhook_endpoint"].append_column(Column("unmigrated", Integer))
    assert any("unmigrated" in str(d) for d in schema_differences(url, drifted))
