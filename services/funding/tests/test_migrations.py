"""The schema is built by the migrations alone, and they reproduce the models exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from funding.models import Base
from kit import testing
from kit.schema_check import round_trip, schema_differences


@pytest.mark.parametrize("backend", testing.backends())
def test_migrations_round_trip_and_match_models(backend: str, tmp_path: Path) -> None:
    url = testing.fresh_database(backend, "funding_migrations", tmp_path)
    round_trip("funding", url)
    assert schema_differences(url, Base.metadata) == []


@pytest.mark.parametrize("backend", testing.backends())
def test_a_model_change_without_migration_is_detected(backend: str, tmp_path: Path) -> None:
    from sqlalchemy import Column, Integer, MetaData

    url = testing.fresh_database(backend, "funding_drift", tmp_path)
    round_trip("funding", url)
    drifted = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(drifted)
    drifted.tables["disbursement"].append_column(Column("unmigrated", Integer))
    assert any("unmigrated" in str(d) for d in schema_differences(url, drifted))


@pytest.mark.parametrize("backend", testing.backends())
def test_existing_disbursements_move_onto_their_lines_without_changing_a_total(backend: str, tmp_path: Path) -> None:
    import datetime as dt
    import uuid
    from decimal import Decimal

    from sqlalchemy import create_engine, func, select
    from sqlalchemy.orm import Session

    from funding.agreement.models import Agreement
    from funding.disbursement.models import Disbursement, DisbursementLine
    from funding.funding_programme.models import FundingProgramme
    from kit.db import sync_url
    from kit.migrations import upgrade

    url = testing.fresh_database(backend, "funding_lines", tmp_path)
    upgrade("funding", url, "0004_federal_allocation")
    engine = create_engine(sync_url(url))
    programme, areas = uuid.uuid4(), [uuid.uuid4(), uuid.uuid4()]
    amounts = [Decimal("100.05"), Decimal("0.01"), Decimal("250000.00"), Decimal("42.42")]
    with Session(engine) as session, session.begin():
        session.add(FundingProgramme(id=programme, canton="BL", first_year=2024, last_year=2027))
        session.flush()
        agreement = Agreement(programme_id=programme, canton="BL", partner_id=uuid.uuid4(), status="signed")
        session.add(agreement)
        session.flush()
        for i, amount in enumerate(amounts):
            session.add(
                Disbursement(
                    agreement_id=agreement.id,
                    programme_id=programme,
                    canton="BL",
                    partner_id=agreement.partner_id,
                    year=2024 + i % 2,
                    funding_area_id=areas[i % 2],
                    source=("canton", "federal_integration_credit")[i // 2],
                    amount=amount,
                    value_date=dt.date(2024, 3, 31),
                    status=("requested", "approved", "paid", "rejected")[i],
                    requested_by="migrated",
                    idempotency_key=f"k{i}",
                    request_hash="h",
                )
            )
    upgrade("funding", url)
    with Session(engine) as session:
        lines = session.execute(
            select(
                DisbursementLine.disbursement_id,
                DisbursementLine.year,
                DisbursementLine.funding_area_id,
                DisbursementLine.source,
                DisbursementLine.amount,
            )
        ).all()
        disbursements = session.execute(
            select(Disbursement.id, Disbursement.year, Disbursement.funding_area_id, Disbursement.source).add_columns(
                Disbursement.amount
            )
        ).all()
        assert sorted(map(tuple, lines)) == sorted(map(tuple, disbursements))
        total = session.scalar(select(func.sum(DisbursementLine.amount)))
    engine.dispose()
    assert total == sum(amounts)
