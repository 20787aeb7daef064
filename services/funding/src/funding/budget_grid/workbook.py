"""The budget grid as a workbook and as CSV, and the workbook read back into proposals.

Sheet `Budget`: one row per year × funding area; per source two columns, the original plan (locked) and the
plan in force (the only unlocked cells). Below, locked and formula-free: the matching per year and the credits.
Texts are in the file's language (`funding.budget_grid.language`); a header names each source's code as well, so
the columns are recognised in a workbook of any of the languages.
A very hidden sheet `_meta` holds the programme, the plan's version and each line's revision number, so a grid
exported before someone else changed the plan is refused, naming what changed.
"""

from __future__ import annotations

import io
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, range_boundaries

from funding.budget_grid.language import text
from funding.budget_grid.plan import Key, Proposal
from funding.budget_grid.schemas import CellError, GridRead
from funding.sources import Source
from kit import i18n
from kit.i18n import Msg
from kit.money import CENT, MAX_AMOUNT
from kit.spreadsheet import BadSpreadsheet, is_formula, neutralised, open_workbook

SHEET = "Budget"
META = "_meta"
HEADER_ROW = 3
FIRST_ROW = 4
KEY_COLUMNS = ["year", "funding_area", "funding_area_id"]
SOURCES = list(Source)


def headers(lang: str = "de") -> list[str]:
    """The header row in a language: `IFK Bund Original (federal_integration_credit)`, …"""
    out = [text(code, lang) for code in KEY_COLUMNS]
    for source in SOURCES:
        short = i18n.label("money_source_short", source, lang)
        out += [f"{short} {text('original', lang)} ({source})", f"{short} {text('in_force', lang)} ({source})"]
    return out


def in_force_column(index: int) -> int:
    return len(KEY_COLUMNS) + 2 * index + 2


def to_xlsx(grid: GridRead, revisions: dict[Key, int], lang: str = "de") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append([f"{text('title', lang)} {grid.programme_id}", None, None, text("version", lang), grid.version])
    sheet.append([text("note", lang)])
    sheet.append(headers(lang))
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    rows: dict[tuple[int, uuid.UUID], dict[Source, Any]] = {}
    names: dict[uuid.UUID, str] = {}
    for line in grid.lines:
        rows.setdefault((line.year, line.funding_area_id), {})[line.source] = line
        names[line.funding_area_id] = line.funding_area
    editable = PatternFill("solid", fgColor="FFF2CC")
    for r, ((year, area_id), by_source) in enumerate(rows.items(), start=FIRST_ROW):
        values: list[Any] = [year, neutralised(names[area_id]), str(area_id)]
        for source in SOURCES:
            line = by_source[source]
            values += [line.original, line.in_force]
        sheet.append(values)  # amounts go in as Decimal: openpyxl writes them as exact numbers
        for i in range(len(SOURCES)):
            cell = sheet.cell(row=r, column=in_force_column(i))
            cell.protection = Protection(locked=False)
            cell.fill = editable
            cell.number_format = "#,##0.00"
            sheet.cell(row=r, column=in_force_column(i) - 1).number_format = "#,##0.00"
    sheet.append([])
    sheet.append([text(code, lang) for code in ("matching", "year", "federal_credit", "matched", "fulfilled")])
    for m in grid.matching:
        sheet.append(
            [
                None,
                m.year,
                m.federal_integration_credit,
                m.matching_contributions,
                text("yes" if m.fulfilled else "no", lang),
            ]
        )
    sheet.append([])
    sheet.append(
        [text(code, lang) for code in ("credits", "body", "reference", "years", "amount", "planned", "headroom")]
    )
    for c in grid.credits:
        sheet.append(
            [
                None,
                neutralised(c.body),
                neutralised(c.reference or ""),
                f"{c.first_year}–{c.last_year}",
                c.amount,
                c.planned,
                c.headroom,
            ]
        )
    sheet.protection.sheet = True
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=len(KEY_COLUMNS) + 1)
    meta = book.create_sheet(META)
    meta.append(["programme_id", str(grid.programme_id)])
    meta.append(["version", grid.version])
    meta.append(["year", "funding_area_id", "source", "revision"])
    for (year, area_id, source), revision in sorted(revisions.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        meta.append([year, str(area_id), str(source), revision])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def amount_of(value: Any, cell: str, errors: list[CellError]) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        kind = "text" if isinstance(value, str) else type(value).__name__
        errors.append(
            CellError(
                cell=cell,
                message=Msg(
                    "Expected an amount in CHF as a number (e.g. 1250.50), found {kind} {value}.",
                    kind=Msg("text") if kind == "text" else kind,
                    value=repr(str(value)[:40]),
                ).render(),
            )
        )
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        errors.append(CellError(cell=cell, message=Msg("Expected an amount in CHF, found no number.").render()))
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        errors.append(
            CellError(cell=cell, message=Msg("{value} is not an amount between 0 and CHF 10^13.", value=value).render())
        )
        return None
    if amount != amount.quantize(CENT):
        errors.append(
            CellError(
                cell=cell, message=Msg("{value} has more than two decimals (whole Rappen only).", value=value).render()
            )
        )
        return None
    return amount.quantize(CENT)


def _meta(book: Any) -> tuple[str, dict[Key, int]]:
    if META not in book.sheetnames:
        raise BadSpreadsheet(
            Msg("The workbook has no {META} sheet: export the grid and edit that file.", META=repr(META))
        )
    version = ""
    revisions: dict[Key, int] = {}
    for r, row in enumerate(book[META].iter_rows(max_col=4, max_row=5000, values_only=True), start=1):
        if r == 2:
            version = str(row[1] or "")
        elif r > 3 and row[0] is not None:
            try:
                revisions[(int(row[0]), uuid.UUID(str(row[1])), Source(str(row[2])))] = int(row[3])
            except (TypeError, ValueError) as exc:
                raise BadSpreadsheet(
                    Msg("The {META} sheet was changed (row {r}); export the grid again.", META=repr(META), r=r)
                ) from exc
    if not version:
        raise BadSpreadsheet(Msg("The {META} sheet names no version; export the grid again.", META=repr(META)))
    return version, revisions


def _key(row: tuple[Any, ...], r: int, errors: list[CellError]) -> tuple[int, uuid.UUID] | None:
    year, area = row[0].value, row[2].value
    if isinstance(year, bool) or not isinstance(year, int | float) or int(year) != year:
        errors.append(
            CellError(
                cell=f"{SHEET}!A{r}", message=Msg("Expected a year, found {year}.", year=repr(str(year)[:40])).render()
            )
        )
        return None
    try:
        return int(year), uuid.UUID(str(area))
    except ValueError:
        errors.append(
            CellError(cell=f"{SHEET}!C{r}", message=Msg("The funding area id was changed; export again.").render())
        )
        return None


def read_xlsx(data: bytes) -> tuple[str, dict[Key, int], list[Proposal], list[CellError]]:
    """The grid's version, the revisions it was exported from, its proposed amounts, and every cell error."""
    book, merged = open_workbook(data, SHEET)
    try:
        version, revisions = _meta(book)
        proposals: list[Proposal] = []
        errors: list[CellError] = []
        width = len(headers())
        last = HEADER_ROW
        for r, row in enumerate(book[SHEET].iter_rows(min_row=HEADER_ROW, max_col=width, max_row=5000), start=3):
            cells = tuple(row)
            if r == HEADER_ROW:
                found = [c.value for c in cells]
                if not any(found == headers(lang) for lang in i18n.SUPPORTED):
                    raise BadSpreadsheet(
                        Msg(
                            "Row {HEADER_ROW} of sheet {SHEET} is not the grid's header; export the grid again.",
                            HEADER_ROW=HEADER_ROW,
                            SHEET=repr(SHEET),
                        ),
                        expected=headers(),
                    )
                continue
            if len(cells) < width or cells[0].value is None:
                break
            last = r
            key = _key(cells, r, errors)
            for i, source in enumerate(SOURCES):
                formula = False
                for column in (in_force_column(i) - 1, in_force_column(i)):
                    if is_formula(cells[column - 1]):
                        formula = True
                        errors.append(
                            CellError(
                                cell=f"{SHEET}!{get_column_letter(column)}{r}",
                                message=Msg(
                                    "A formula is not accepted in a value cell; enter the amount itself."
                                ).render(),
                            )
                        )
                if formula:
                    continue
                ref = f"{SHEET}!{get_column_letter(in_force_column(i))}{r}"
                count = len(errors)
                amount = amount_of(cells[in_force_column(i) - 1].value, ref, errors)
                if key is not None and len(errors) == count:
                    proposals.append(Proposal(ref, (key[0], key[1], source), amount))
        for area in merged:
            _c1, r1, _c2, r2 = range_boundaries(area)
            if r1 is not None and r2 is not None and r1 <= last and r2 >= HEADER_ROW:
                errors.append(
                    CellError(
                        cell=f"{SHEET}!{area}", message=Msg("Merged cells are not accepted in the grid.").render()
                    )
                )
        return version, revisions, proposals, errors
    except BadSpreadsheet:
        raise
    except Exception as exc:
        raise BadSpreadsheet(
            Msg("The workbook cannot be read ({error}); save it again as .xlsx.", error=type(exc).__name__)
        ) from exc
    finally:
        book.close()
