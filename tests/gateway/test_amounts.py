"""Amounts stay exact to the Rappen from CHF 0.01 to CHF 10^13 through every path: API → database → report →
Excel and CSV. Values are generated (boundaries plus a seeded random sample), recorded as spending through the
gateway, and read back from the report's JSON, CSV and workbook."""

from __future__ import annotations

import csv
import io
import random
from decimal import Decimal

import httpx
import pytest
from openpyxl import load_workbook

from kit.ids import seed_uuid
from kit.money import MAX_AMOUNT
from tests.gateway.conftest import BL_KIP3, TokenFactory, needs

pytestmark = [needs("funding", "evaluation"), pytest.mark.usefixtures("changes_data")]

YEAR = 2025
AREAS = ["information_needs_assessment_counselling", "language", "training_and_employability", "early_childhood"]
SOURCES = ["canton", "communes", "third_parties"]


def amounts() -> list[Decimal]:
    rng = random.Random(1964)  # noqa: S311 - a reproducible sample, not a secret
    fixed = [Decimal("0.01"), Decimal("0.99"), Decimal("1234567.89"), Decimal("9999999999999.99"), MAX_AMOUNT]
    sample = [Decimal(rng.randint(1, int(MAX_AMOUNT * 100))) / 100 for _ in range(len(AREAS) * len(SOURCES) - 5)]
    return [a.quantize(Decimal("0.01")) for a in fixed + sample]


async def test_generated_amounts_survive_api_database_report_csv_and_excel(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    editor = token("canton-editor", canton="BL")
    slots = [(area, source) for area in AREAS for source in SOURCES]
    expected: dict[tuple[str, str], Decimal] = {}
    for (area, source), amount in zip(slots, amounts(), strict=True):
        area_id = str(seed_uuid("funding-area", f"KIP3/{area}"))
        response = await client.post(
            "/api/funding/v1/spending",
            headers=editor,
            json={
                "programme_id": str(BL_KIP3),
                "year": YEAR,
                "funding_area_id": area_id,
                "source": source,
                "amount": format(amount, "f"),
            },
        )
        assert response.status_code == 201, response.text
        assert response.json()["amount"] == format(amount, "f")
        expected[(area, source)] = amount

    report_path = f"/api/v1/views/sem/programmes/{BL_KIP3}/annual-report/{YEAR}"
    report = (await client.get(report_path, headers=token("sem"))).json()
    direct = await client.get(
        f"/api/funding/v1/programmes/{BL_KIP3}/financial-report", params={"year": YEAR}, headers=token("sem")
    )
    assert direct.status_code == 200, direct.text
    assert report["finances"] is not None, report.get("degraded")
    spent = {(r["funding_area_code"], r["source"]): Decimal(r["spent"]) for r in report["finances"]["rows"]}
    for key, amount in expected.items():
        assert spent[key] == amount, key
    assert Decimal(report["finances"]["totals"]["spent"]) == sum(spent.values(), Decimal(0))

    rows = list(
        csv.reader(
            io.StringIO(
                (
                    await client.get(
                        report_path, params={"format": "csv"}, headers=token("sem") | {"Accept-Language": "en"}
                    )
                ).text
            )
        )
    )
    csv_spent = {(r[0], r[2]): Decimal(r[7]) for r in rows if len(r) > 7 and (r[0], r[2]) in expected}
    assert csv_spent == expected

    workbook = load_workbook(
        io.BytesIO(
            (
                await client.get(
                    report_path, params={"format": "xlsx"}, headers=token("sem") | {"Accept-Language": "en"}
                )
            ).content
        )
    )
    sheet = workbook["Finances"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    spent_column = header.index("spent")
    for row in sheet.iter_rows(min_row=2, values_only=True):
        key = (row[0], row[2])
        if key in expected:
            # A workbook keeps IEEE doubles: exact for amounts of up to 15 significant digits, i.e. to CHF 10^13.
            assert Decimal(repr(row[spent_column])).quantize(Decimal("0.01")) == expected[key], key
