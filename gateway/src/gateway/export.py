"""The annual report as a workbook (a sheet per part) and as CSV, from the same tables.

Amounts are written as numbers from their `Decimal` values, never through float arithmetic, with a CHF number
format, so SEM can add them up in the spreadsheet; the totals row holds exactly the JSON's totals.

Language: with a language negotiated from `Accept-Language` (kit.i18n), sheet names, headers, row labels and
codes (money sources, statuses, kinds, provenance) are written in it through `localized`, dates as DD.MM.YYYY, and
the CSV is what Swiss Excel opens directly (UTF-8 with BOM, `;`). Without `Accept-Language` the files stay as
they were (English names and codes, `,`), so scripts reading them keep working.

Provenance: a row holding an illustrative figure (seeded or estimated) says `illustrative` in its `provenance`
column, and in the workbook its cells are marked (italic on orange); the first sheet carries the legend.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from gateway.cells import safe_row
from gateway.export_language import as_csv_value, for_people, localized
from gateway.views.report_schemas import AnnualReport, FigureSet, MatchingCheck, ToDate

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv"
CHF_FORMAT = '#,##0.00 "CHF"'
#: Swiss date format of the localized workbook (day.month.year).
DATE_FORMAT = "DD.MM.YYYY"
ILLUSTRATIVE_FILL = PatternFill("solid", start_color="FFE5CC", end_color="FFE5CC")
ILLUSTRATIVE_FONT = Font(italic=True)
LEGEND = "Cells in italics on orange are illustrative (seeded or estimated), not recorded figures."
FIGURES = ("original_plan", "plan_in_force", "committed", "disbursed", "spent")

Cell = str | int | Decimal | None


@dataclass
class Table:
    name: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    money_columns: frozenset[int] = frozenset()
    #: Indexes of the rows that hold illustrative figures (marked in the workbook).
    illustrative_rows: set[int] = field(default_factory=set)

    def add(self, row: list[Cell], illustrative: bool | None = None) -> None:
        """A row; with `illustrative` given, its provenance is appended as the last column."""
        if illustrative is not None:
            row = [*row, provenance(illustrative)]
            if illustrative:
                self.illustrative_rows.add(len(self.rows))
        self.rows.append(row)


def provenance(illustrative: bool) -> str:
    return "illustrative" if illustrative else "recorded"


def _to_date(t: ToDate) -> list[Cell]:
    return [", ".join(str(y) for y in t.years) or None, t.target, t.value]


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
        ["as of", (report.as_of or report.composed_at).isoformat()],
        ["time rule", report.time_rule],
        ["parts left out", ", ".join(report.degraded) or None],
        ["sections missing for the year", ", ".join(report.missing) or None],
    ]
    summary.add(["legend", LEGEND])
    summary.illustrative_rows.add(len(summary.rows) - 1)
    goals = Table(
        "Goals",
        [
            "goal",
            "goal title",
            "achievement",
            "indicator",
            "indicator title",
            "unit",
            "year",
            "target of the year",
            "value of the year (confirmed)",
            "value status",
            "years to date",
            "target to date",
            "value to date",
            "ratio to date",
            "provenance",
        ],
    )
    for g in report.goals or []:
        for i in g.indicators or []:
            line: list[Cell] = [g.code, g.title, g.achievement, i.code, i.title, i.unit, i.year]
            line += [i.target, i.value, i.value_status, *_to_date(i.to_date), i.ratio]
            goals.add(line, illustrative=i.illustrative)
        if not g.indicators:
            goals.add([g.code, g.title, g.achievement, *[None] * 11], illustrative=False)
    evaluations = _evaluations(report)
    key_figures = Table(
        "Key figures", ["indicator", "title", "unit", "dimension", "category", "year", "value", "provenance"]
    )
    for k in report.key_figures or []:
        key_figures.add(
            [k.code, k.title, k.unit, k.dimension, k.category, k.year, k.value], illustrative=k.illustrative
        )
    money = frozenset(range(3, 8))
    finances = Table("Finances", ["funding area", "name", "source", *FIGURES, "provenance"], money_columns=money)
    if report.finances:
        f = report.finances
        for r in f.rows:
            finances.add([r.funding_area_code, r.funding_area_name, r.source, *_figures(r)], r.illustrative)
        for s in f.by_source:
            finances.add(["Total by source", None, s.source, *_figures(s)], s.illustrative)
        finances.add(["Total", None, None, *_figures(f.totals)], f.totals.illustrative)
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
        for key, level in (m.levels or {}).items():
            matching.rows.append(_level(key, level))
    return [summary, goals, evaluations, key_figures, finances, matching, *_texts(report)]


def _evaluations(report: AnnualReport) -> Table:
    """A row per evaluation, then its findings, recommendations (with the management response) and actions."""
    table = Table(
        "Evaluations",
        [
            "title",
            "kind",
            "status",
            "planned end",
            "actual end",
            "item",
            "no.",
            "text",
            "response",
            "state",
            "due",
            "provenance",
        ],
    )
    for e in report.evaluations or []:
        mark = e.illustrative
        table.add([e.title, e.kind, e.status, e.planned_end, e.actual_end, "evaluation", None, e.public_summary], mark)
        for f in e.findings:
            table.add([e.title, None, None, None, None, "finding", f.number, f.text], mark)
        for r in e.recommendations:
            late = "response overdue" if r.response_overdue else None
            line: list[Cell] = [e.title, None, None, None, None, "recommendation", r.number, r.text]
            table.add([*line, r.response_decision, late, r.response_due_date], mark)
            for a in r.actions:
                state = f"{a.status}, overdue" if a.overdue else a.status
                table.add([e.title, None, None, None, None, "action", r.number, a.title, None, state, a.due_date], mark)
    for row in table.rows:  # every row as wide as the header, provenance last
        row[len(row) - 1 : len(row) - 1] = [None] * (len(table.headers) - len(row))
    return table


def _texts(report: AnnualReport) -> list[Table]:
    coordination = Table(
        "Coordination",
        ["scope", "funding area", "year", "version", "text", "partners", "regular structures", "provenance"],
    )
    if report.coordination:
        c = report.coordination
        for t in [c.overall, *c.by_area]:
            scope = t.funding_area_code or "overall"
            text = "missing" if t.missing else t.text
            partners = ", ".join(str(p) for p in t.partner_ids) or None
            structures = ", ".join(t.regular_structures) or None
            line: list[Cell] = [scope, t.funding_area_name, c.year, t.version, text, partners, structures]
            coordination.add(line, illustrative=t.illustrative)
    supervision = Table(
        "Financial supervision", ["item", "year", "version", "date", "subject", "kind", "text", "provenance"]
    )
    if report.financial_supervision:
        s = report.financial_supervision
        approach = "missing" if s.missing else s.approach
        supervision.add(["approach", s.year, s.version, None, None, None, approach], illustrative=s.illustrative)
        for check in s.checks:
            line = ["check", s.year, s.version, check.check_date, check.subject, check.kind, check.result]
            supervision.add(line, illustrative=s.illustrative)
    return [coordination, supervision]


def _level(key: str, level: Any) -> list[Cell]:
    """A matching level as funding gives it: its status and amounts where it has them, else its value as text."""
    if not isinstance(level, dict):
        return [f"level: {key}", None if level is None else str(level), None, None, None]
    amounts: list[Cell] = []
    for name in ("federal_credit", "matched_contributions", "headroom"):
        try:
            amounts.append(Decimal(str(level[name])) if level.get(name) is not None else None)
        except ArithmeticError:
            amounts.append(None)
    return [f"level: {key}", level.get("status"), *amounts]


def _cell(
    sheet: WriteOnlyWorksheet,
    value: Any,
    *,
    money: bool = False,
    bold: bool = False,
    marked: bool = False,
    swiss: bool = False,
) -> Any:
    """Every cell of the workbook is written here: a plain value, or a styled cell (bold header, CHF amount,
    illustrative mark, with `swiss` a date as DD.MM.YYYY)."""
    dated = swiss and isinstance(value, dt.date)
    if not (money or bold or marked or dated):
        return value
    cell = WriteOnlyCell(sheet, value)
    if dated:
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    if money and isinstance(value, int | float | Decimal):
        cell.number_format = CHF_FORMAT
    if marked:
        cell.font = ILLUSTRATIVE_FONT
        cell.fill = ILLUSTRATIVE_FILL
    return cell


def _sheet_rows(sheet: WriteOnlyWorksheet, table: Table, swiss: bool = False) -> Iterator[list[Any]]:
    """The table's rows for a write-only sheet: the header bold, amounts in CHF format, illustrative rows marked."""
    yield [_cell(sheet, title, bold=True) for title in table.headers]
    for index, row in enumerate(map(safe_row, table.rows)):
        marked = index in table.illustrative_rows
        yield [
            _cell(sheet, value, money=column in table.money_columns, marked=marked, swiss=swiss)
            for column, value in enumerate(row)
        ]


def to_xlsx(report: AnnualReport, lang: str | None = None) -> bytes:
    """A write-only (streaming) workbook: rows go to the file as they are appended, with no cell objects kept per
    sheet, every cell written by `_cell` (bold header, CHF amount, illustrative mark); the sheets are what a regular
    workbook with the same cells, widths and frozen header row gives."""
    workbook = Workbook(write_only=True)
    for table in (localized(t, lang, LEGEND) for t in report_tables(report)):
        sheet = workbook.create_sheet(table.name)
        for column, header in enumerate(table.headers, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = max(12, len(header) + 4)
        sheet.freeze_panes = "A2"
        for row in _sheet_rows(sheet, table, swiss=for_people(lang)):
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(report: AnnualReport, lang: str | None = None) -> str:
    """One section per part: a `# <part>` line, the header, the rows, a blank line. In a language (`lang`, see
    `export_language`): a BOM first and `;` between cells, as Excel in Switzerland expects; without one the raw
    English tables with codes and `,`."""
    buffer = io.StringIO()
    if for_people(lang):
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n", delimiter=";" if for_people(lang) else ",")
    for table in (localized(t, lang, LEGEND) for t in report_tables(report)):
        writer.writerow([f"# {table.name}"])
        writer.writerow(table.headers)
        for row in map(safe_row, table.rows):
            writer.writerow([as_csv_value(v) for v in row])
        writer.writerow([])
    return buffer.getvalue()
