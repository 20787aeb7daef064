"""What the annual report's figures cover and where they come from: the report year apart from the years to date,
illustrative figures (finances too) marked in the JSON, the workbook and the CSV, and the workbook equal to the
JSON figure for figure."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import httpx
from openpyxl import load_workbook

from gateway.clients.funding import FinancialReport
from gateway.export import ILLUSTRATIVE_FILL, LEGEND
from tests.gateway.conftest import BL_KIP3, TokenFactory, needs

REPORT = f"/api/v1/views/sem/programmes/{BL_KIP3}/annual-report/2025"
FIGURES = ("original_plan", "plan_in_force", "committed", "disbursed", "spent")

pytestmark = needs("funding", "evaluation")


def _indicators(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["code"]: i for g in report["goals"] for i in g["indicators"]}


async def test_goals_state_the_year_apart_from_the_years_to_date(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    report = (await client.get(REPORT, headers=token("sem"))).json()
    assert report["year"] == 2025 and report["as_of"] and "to_date" in report["time_rule"]
    by_code = _indicators(report)
    # 2025 has only a reported (unconfirmed) value: the year is missing, the 2024 value counts only as to date.
    first = by_code["BL-1.01-a"]
    assert (first["year"], first["target"], first["value"], first["missing"]) == (2025, "1200", None, True)
    assert first["value_status"] == "reported"
    assert first["to_date"] == {"years": [2024], "target": "1200", "value": "1180"}
    assert first["ratio"] == "0.9833"  # 1180 / 1200: from the figures stated to date
    assert by_code["BL-2.01-b"]["value_status"] == "missing" and by_code["BL-2.01-b"]["missing"] is True
    assert all(k["year"] == 2025 for k in report["key_figures"]) and report["finances"]["year"] == 2025


async def test_illustrative_figures_are_marked_in_json_workbook_and_csv(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    report = (await client.get(REPORT.replace("2025", "2024"), headers=token("sem"))).json()
    assert all(i["illustrative"] for i in _indicators(report).values() if i["code"].startswith("BL-"))
    assert report["key_figures"] and all(k["illustrative"] for k in report["key_figures"] if k["code"] != "IAS-1")
    assert any(e["illustrative"] for e in report["evaluations"])

    xlsx = await client.get(
        REPORT.replace("2025", "2024"), params={"format": "xlsx"}, headers=token("sem") | {"Accept-Language": "en"}
    )
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames[0] == "Summary"
    legend = next(row for row in workbook["Summary"].iter_rows() if row[0].value == "legend")
    assert legend[1].value == LEGEND and legend[1].fill.start_color.rgb.endswith(ILLUSTRATIVE_FILL.start_color.rgb)
    sheet = workbook["Key figures"]
    header = [c.value for c in next(sheet.iter_rows())]
    column = header.index("provenance")
    for row in list(sheet.iter_rows())[1:]:
        marked = row[header.index("value")].font.italic is True
        assert marked == (row[column].value == "illustrative"), row[0].value
    assert any(row[column].value == "illustrative" for row in sheet.iter_rows())

    text = (
        await client.get(
            REPORT.replace("2025", "2024"), params={"format": "csv"}, headers=token("sem") | {"Accept-Language": "en"}
        )
    ).text
    rows = list(csv.reader(io.StringIO(text)))
    start = rows.index(["# Key figures"])
    header = rows[start + 1]
    provenance = [r[header.index("provenance")] for r in rows[start + 2 : start + 2 + len(report["key_figures"])]]
    assert provenance == ["illustrative" if k["illustrative"] else "recorded" for k in report["key_figures"]]


def _numbers(row: tuple[Any, ...]) -> list[Decimal]:
    return [Decimal(str(c.value)) for c in row if isinstance(c.value, int | float) and not isinstance(c.value, bool)]


async def test_every_number_of_the_workbook_is_the_jsons(client: httpx.AsyncClient, token: TokenFactory) -> None:
    for year in (2024, 2025):
        path = REPORT.replace("2025", str(year))
        report = (await client.get(path, headers=token("sem"))).json()
        workbook = load_workbook(
            io.BytesIO(
                (
                    await client.get(path, params={"format": "xlsx"}, headers=token("sem") | {"Accept-Language": "en"})
                ).content
            )
        )

        goal_rows = list(workbook["Goals"].iter_rows())[1:]
        indicators = [(g, i) for g in report["goals"] for i in g["indicators"]]
        assert len(goal_rows) == len(indicators)
        for row, (g, i) in zip(goal_rows, indicators, strict=True):
            figures = [g["achievement"], i["year"], i["target"], i["value"], i["to_date"]["target"]]
            figures += [i["to_date"]["value"], i["ratio"]]
            assert _numbers(row) == [Decimal(str(v)) for v in figures if v is not None], i["code"]

        kf_rows = list(workbook["Key figures"].iter_rows())[1:]
        assert len(kf_rows) == len(report["key_figures"])
        for row, k in zip(kf_rows, report["key_figures"], strict=True):
            assert _numbers(row) == [Decimal(k["year"]), Decimal(k["value"])], k["code"]

        finance_rows = list(workbook["Finances"].iter_rows())[1:]
        f = report["finances"]
        lines = [*f["rows"], *f["by_source"], f["totals"]]
        assert len(finance_rows) == len(lines)
        for row, line in zip(finance_rows, lines, strict=True):
            assert [n.quantize(Decimal("0.01")) for n in _numbers(row)] == [Decimal(line[n]) for n in FIGURES]

        # The new sections: every number (years, versions, item numbers) is the JSON's, row for row.
        texts = [report["coordination"]["overall"], *report["coordination"]["by_area"]]
        coordination_rows = list(workbook["Coordination"].iter_rows())[1:]
        assert [_numbers(r) for r in coordination_rows] == [
            [Decimal(year), *([Decimal(t["version"])] if t["version"] else [])] for t in texts
        ]
        s = report["financial_supervision"]
        supervision_rows = list(workbook["Financial supervision"].iter_rows())[1:]
        assert [_numbers(r) for r in supervision_rows] == [[Decimal(year), Decimal(s["version"])]] * (
            1 + len(s["checks"])
        )
        expected: list[list[Decimal]] = []
        for e in report["evaluations"]:
            expected += [[]] + [[Decimal(f["number"])] for f in e["findings"]]
            for r in e["recommendations"]:
                expected += [[Decimal(r["number"])]] * (1 + len(r["actions"]))
        assert [_numbers(r) for r in list(workbook["Evaluations"].iter_rows())[1:]] == expected


async def test_finances_resting_on_illustrative_records_are_marked(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    # BL's seeded budget lines, agreements, disbursements and spending are all illustrative.
    report = (await client.get(REPORT, headers=token("sem"))).json()
    f = report["finances"]
    lines = [*f["rows"], *f["by_source"], f["totals"]]
    assert f["rows"] and all(line["illustrative"] is True for line in lines)

    xlsx = await client.get(REPORT, params={"format": "xlsx"}, headers=token("sem") | {"Accept-Language": "en"})
    sheet = load_workbook(io.BytesIO(xlsx.content))["Finances"]
    header, *rows = list(sheet.iter_rows())
    names = [c.value for c in header]
    assert len(rows) == len(lines)
    for row in rows:
        assert row[names.index("provenance")].value == "illustrative", row[0].value
        spent = row[names.index("spent")]
        assert spent.font.italic is True and spent.fill.start_color.rgb.endswith(ILLUSTRATIVE_FILL.start_color.rgb)

    text = (await client.get(REPORT, params={"format": "csv"}, headers=token("sem") | {"Accept-Language": "en"})).text
    csv_rows = list(csv.reader(io.StringIO(text)))
    start = csv_rows.index(["# Finances"])
    header_row = csv_rows[start + 1]
    provenance = [r[header_row.index("provenance")] for r in csv_rows[start + 2 : start + 2 + len(lines)]]
    assert provenance == ["illustrative"] * len(lines)


def test_a_funding_service_that_does_not_say_leaves_finances_recorded() -> None:
    report = FinancialReport.model_validate(
        {
            "programme_id": str(BL_KIP3),
            "rows": [{"funding_area_id": str(BL_KIP3), "source": "canton", "spent": "1.00"}],
            "by_source": [{"source": "canton", "spent": "1.00"}],
            "totals": {"spent": "1.00"},
        }
    )
    assert (report.rows[0].illustrative, report.by_source[0].illustrative, report.totals.illustrative) == (
        False,
        False,
        False,
    )
