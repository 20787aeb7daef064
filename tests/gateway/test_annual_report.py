"""The annual report as a workbook and CSV, and as submitted: frozen, versioned, compared."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from gateway.export import CHF_FORMAT, XLSX_MEDIA_TYPE
from kit.ids import seed_uuid
from tests.gateway.conftest import BL_KIP3, TokenFactory, needs

REPORT = f"/api/v1/views/sem/programmes/{BL_KIP3}/annual-report/2025"
SUBMIT = f"/api/v1/views/canton/programmes/{BL_KIP3}/annual-report/2025/submit"
#: 2024 has every programme value confirmed in the seed: its report passes the completeness checks.
REPORT_2024 = f"/api/v1/views/sem/programmes/{BL_KIP3}/annual-report/2024"
SUBMIT_2024 = f"/api/v1/views/canton/programmes/{BL_KIP3}/annual-report/2024/submit"
ACKNOWLEDGED = {"acknowledged_warnings": ["illustrative_figures", "national_value_missing"]}
FIGURES = ("original_plan", "plan_in_force", "committed", "disbursed", "spent")

pytestmark = needs("funding", "evaluation")


def _total_row(rows: list[list[Any]]) -> list[Any]:
    return next(r for r in rows if r and r[0] == "Total")


async def test_workbook_opens_and_its_totals_equal_the_json(client: httpx.AsyncClient, token: TokenFactory) -> None:
    report = (await client.get(REPORT, headers=token("sem"))).json()
    response = await client.get(REPORT, params={"format": "xlsx"}, headers=token("sem") | {"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX_MEDIA_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    assert {"Summary", "Goals", "Evaluations", "Key figures", "Finances", "Matching"} <= set(workbook.sheetnames)
    sheet = workbook["Finances"]
    total = next(row for row in sheet.iter_rows() if row[0].value == "Total")
    for cell, name in zip(total[3:8], FIGURES, strict=True):
        assert isinstance(cell.value, int | float), name
        assert cell.number_format == CHF_FORMAT
        assert Decimal(str(cell.value)).quantize(Decimal("0.01")) == Decimal(report["finances"]["totals"][name])
    # The Accept header asks for the same workbook.
    by_accept = await client.get(REPORT, headers={**token("sem"), "Accept": XLSX_MEDIA_TYPE})
    assert by_accept.headers["content-type"] == XLSX_MEDIA_TYPE


async def test_csv_has_a_section_per_part_with_the_json_totals(client: httpx.AsyncClient, token: TokenFactory) -> None:
    report = (await client.get(REPORT, headers=token("sem"))).json()
    response = await client.get(REPORT, headers={**token("sem"), "Accept": "text/csv", "Accept-Language": "en"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert ["# Finances"] in rows and ["# Goals"] in rows
    total = _total_row(rows)
    assert total[3:8] == [report["finances"]["totals"][f] for f in FIGURES]


@pytest.mark.usefixtures("changes_data")
async def test_submitted_report_does_not_change_when_the_data_under_it_changes(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    editor = token("canton-editor", canton="BL")
    submitted = await client.post(SUBMIT_2024, json=ACKNOWLEDGED, headers=editor)
    assert submitted.status_code == 201, submitted.text
    first = submitted.json()
    assert first["number"] == 1 and first["report"]["degraded"] == []
    spent_then = Decimal(first["report"]["finances"]["totals"]["spent"])

    # Spending is recorded afterwards, through the gateway: today's report changes, the submitted one does not.
    spending = await client.post(
        "/api/funding/v1/spending",
        json={
            "programme_id": str(BL_KIP3),
            "year": 2024,
            "funding_area_id": str(seed_uuid("funding-area", "KIP3/language")),
            "source": "communes",
            "amount": "1234.55",
        },
        headers=editor,
    )
    assert spending.status_code == 201, spending.text
    live = (await client.get(REPORT_2024, headers=token("sem"))).json()
    assert Decimal(live["finances"]["totals"]["spent"]) == spent_then + Decimal("1234.55")
    latest = await client.get(f"{REPORT_2024}/submitted", headers=token("sem"))
    assert latest.status_code == 200
    assert latest.json()["report"] == first["report"]

    # A correction is a new version; version 1 stays as it was, and the difference can be shown.
    second = await client.post(SUBMIT_2024, json=ACKNOWLEDGED, headers=editor)
    assert second.status_code == 201 and second.json()["number"] == 2
    again = (await client.get(f"{REPORT_2024}/submitted", params={"version": 1}, headers=token("sem"))).json()
    assert again["report"] == first["report"]
    assert (await client.get(f"{REPORT_2024}/submitted", headers=token("sem"))).json()["number"] == 2
    diff = await client.get(f"{REPORT_2024}/diff", params={"from": 1, "to": 2}, headers=token("sem"))
    assert diff.status_code == 200
    changed = {op["path"] for op in diff.json()["operations"]}
    assert "/finances/totals/spent" in changed
    # The submitted version exports like the live report, from the snapshot.
    workbook = load_workbook(
        io.BytesIO(
            (
                await client.get(
                    f"{REPORT_2024}/submitted",
                    params={"version": 1, "format": "xlsx"},
                    headers=token("sem") | {"Accept-Language": "en"},
                )
            ).content
        )
    )
    total = next(row for row in workbook["Finances"].iter_rows() if row[0].value == "Total")
    assert Decimal(str(total[7].value)).quantize(Decimal("0.01")) == spent_then


async def test_only_the_cantons_editor_may_submit(client: httpx.AsyncClient, token: TokenFactory) -> None:
    for headers, expected in (
        (token("canton-viewer", canton="BL"), 403),
        (token("sem"), 403),
        (token("canton-editor", canton="ZH"), 404),
    ):
        response = await client.post(SUBMIT, headers=headers)
        assert response.status_code == expected, headers
    nothing = await client.get(f"{REPORT}/submitted", headers=token("sem"))
    assert nothing.status_code == 404
