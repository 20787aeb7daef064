"""The migration that put disbursements on lines (0005) moves every existing one without changing a total.

That every service's migrations build its models exactly is checked once for all in `tests/migrations`."""

from __future__ import annotations

from pathlib import Path

from kit import testing


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
