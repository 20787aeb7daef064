"""The annual report as a workbook (a sheet per part) and as CSV, from the same tables.

Amounts are written as numbers from their `Decimal` values, never through float arithmetic, with a CHF number
format, so SEM can add them up in the spreadsheet; the totals row holds exactly the JSON's totals.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from gateway.cells import safe_row
from gateway.views.report_schemas import AnnualReport, FigureSet, MatchingCheck

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv"
CHF_FORMAT = '#,##0.00 "CHF"'
FIGURES = ("original_plan", "plan_in_force", "committed", "disbursed", "spent")

Cell = str | int | Decimal | None


@dataclass
class Table:
    name: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    money_columns: frozenset[int] = frozenset()


def _figures(f: FigureSet) -> list[Cell]:
    return [getattr(f, name) for name in FIGURES]


def _check(label: str, m: MatchingCheck | None) -> list[Cell]:
    if m is None:
        return [label, None, None, None, None]
    return [label, m.status, m.federal_credit, m.matched_contributions, m.headroom]


def report_tables(report: AnnualReport) -> list[Table]:
    p = report.programme
    summary = Table("Summary", ["item", "value"])
    summary.rows = [
        ["programme", p.title],
        ["canton", p.canton],
        ["period", f"{p.period} ({p.first_year}-{p.last_year})"],
        ["year", report.year],
        ["composed at", report.composed_at.isoformat()],
        ["parts left out", ", ".join(report.degraded) or None],
    ]
    goals = Table(
        "Goals",
        [
            "goal",
            "goal title",
            "achievement",
            "indicator",
            "indicator title",
            "unit",
            "target",
            "actual (confirmed)",
            "ratio",
        ],
    )
    for g in report.goals or []:
        for i in g.indicators or []:
            goals.rows.append([g.code, g.title, g.achievement, i.code, i.title, i.unit, i.target, i.actual, i.ratio])
        if not g.indicators:
            goals.rows.append([g.code, g.title, g.achievement, None, None, None, None, None, None])
    evaluations = Table("Evaluations", ["title", "kind", "status", "planned end", "actual end"])
    evaluations.rows = [[e.title, e.kind, e.status, e.planned_end, e.actual_end] for e in report.evaluations or []]
    key_figures = Table("Key figures", ["indicator", "title", "unit", "dimension", "category", "value"])
    key_figures.rows = [[k.code, k.title, k.unit, k.dimension, k.category, k.value] for k in report.key_figures or []]
    money = frozenset(range(3, 8))
    finances = Table("Finances", ["funding area", "name", "source", *FIGURES], money_columns=money)
    if report.finances:
        f = report.finances
        finances.rows = [[r.funding_area_code, r.funding_area_name, r.source, *_figures(r)] for r in f.rows]
        finances.rows += [["Total by source", None, s.source, *_figures(s)] for s in f.by_source]
        finances.rows.append(["Total", None, None, *_figures(f.totals)])
    matching = Table(
        "Matching",
        ["check", "status", "federal credit", "matched contributions", "headroom"],
        money_columns=frozenset({2, 3, 4}),
    )
    if report.matching:
        m = report.matching
        matching.rows = [_check("plan in force", m.planned), _check("actual spending", m.actual)]
        if m.credit:
            matching.rows.append(
                ["credit (amount, used, left)", m.credit.body, m.credit.amount, m.credit.used, m.credit.left]
            )
    return [summary, goals, evaluations, key_figures, finances, matching]


def _sheet_rows(sheet: WriteOnlyWorksheet, table: Table, bold: Font) -> Iterator[list[Any]]:
    """The table's rows for a write-only sheet: the header bold, amounts in the money columns in CHF format."""
    header = []
    for title in table.headers:
        cell = WriteOnlyCell(sheet, title)
        cell.font = bold
        header.append(cell)
    yield header
    for row in map(safe_row, table.rows):
        if not table.money_columns:
            yield row
            continue
        values: list[Any] = list(row)
        for index in table.money_columns:
            value = values[index] if index < len(values) else None
            if isinstance(value, int | float | Decimal):
                cell = WriteOnlyCell(sheet, value)
                cell.number_format = CHF_FORMAT
                values[index] = cell
        yield values


def to_xlsx(report: AnnualReport) -> bytes:
    """A write-only (streaming) workbook: rows go to the file as they are appended, with no cell objects kept per
    sheet and one style per kind of cell (bold header, CHF amount); the sheets are what a regular workbook with the
    same cells, widths and frozen header row gives."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in report_tables(report):
        sheet = workbook.create_sheet(table.name)
        for column, header in enumerate(table.headers, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = max(12, len(header) + 4)
        sheet.freeze_panes = "A2"
        for row in _sheet_rows(sheet, table, bold):
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(report: AnnualReport) -> str:
    """One section per part: a `# <part>` line, the header, the rows, a blank line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for table in report_tables(report):
        writer.writerow([f"# {table.name}"])
        writer.writerow(table.headers)
        for row in map(safe_row, table.rows):
            writer.writerow(["" if v is None else format(v, "f") if isinstance(v, Decimal) else v for v in row])
        writer.writerow([])
    return buffer.getvalue()
