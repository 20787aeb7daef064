"""Rows of an indicator-value upload, read streaming from CSV (a text stream) or XLSX (openpyxl read-only).

The first row names the columns: `indicator_id`, `year` and `value` are required; `programme_id`, `dimension`,
`category`, `source` and `evidence` are optional. Every cell is checked for its type here (a year is a whole
number, a value a number, never a date or a formula); the plausibility rules come after, in `service`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from kit.i18n import Msg
from kit.spreadsheet import BadSpreadsheet, is_formula, open_workbook

SHEET = "Werte"
REQUIRED = ("indicator_id", "year", "value")
OPTIONAL = ("programme_id", "dimension", "category", "source", "evidence")
COLUMNS = REQUIRED + OPTIONAL
MAX_ROWS = 20_000
MAX_CELL = 2000

Row = tuple[int, dict[str, Any], list[str]]


def _header(cells: list[Any]) -> list[str]:
    names = [str(c).strip().lower() if c is not None else "" for c in cells]
    while names and not names[-1]:
        names.pop()
    unknown = [n for n in names if n not in COLUMNS]
    missing = [n for n in REQUIRED if n not in names]
    if unknown or missing or len(set(names)) != len(names):
        found = "".join(
            [
                Msg("; unknown: {names}", names=", ".join(unknown)).render() if unknown else "",
                Msg("; missing: {names}", names=", ".join(missing)).render() if missing else "",
            ]
        )
        raise BadSpreadsheet(
            Msg(
                "The first row must name the columns {required} (required) and {optional} (optional){found}.",
                required=", ".join(REQUIRED),
                optional=", ".join(OPTIONAL),
                found=found,
            ),
            expected=list(COLUMNS),
        )
    return names


def _cell(name: str, value: Any, problems: list[str]) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date | dt.datetime | dt.time):
        problems.append(f"{name}: a date, where {'a year' if name == 'year' else 'text or a number'} is expected")
        return None
    if isinstance(value, str) and len(value) > MAX_CELL:
        problems.append(f"{name}: longer than {MAX_CELL} characters")
        return None
    if name == "year":
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if text.isdigit() and len(text) == 4:
            return int(text)
        problems.append(f"year: {text[:40]!r} is not a year such as 2025")
        return None
    if name == "value":
        if isinstance(value, bool):
            problems.append("value: a yes/no cell, where a number is expected")
            return None
        try:
            number = Decimal(str(value).strip()) if isinstance(value, int | float | str) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            problems.append(f"value: {str(value)[:40]!r} is not a number (use a point for decimals, e.g. 87.5)")
            return None
        return format(number.normalize(), "f") if number == number.to_integral_value() else str(number)
    return str(value).strip()


def _row(number: int, names: list[str], cells: list[Any], formulas: list[str]) -> Row:
    problems = [f"{n}: a formula; enter the value itself" for n in formulas]
    if len(cells) > len(names) and any(c not in (None, "") for c in cells[len(names) :]):
        problems.append("more cells than the header names")
    data = {n: _cell(n, c, problems) for n, c in zip(names, cells, strict=False) if n not in formulas}
    return number, {k: v for k, v in data.items() if v is not None}, problems


def csv_rows(data: bytes) -> Iterator[Row]:
    """Rows of a UTF-8 CSV (comma or semicolon, as Swiss Excel writes it), read as a text stream."""
    if data[:2] == b"PK" or b"\x00" in data[:4096]:
        raise BadSpreadsheet(Msg("The file is not a CSV text file; send CSV as text/csv or the .xlsx workbook."))
    stream = codecs.getreader("utf-8-sig")(io.BytesIO(data), "strict")
    try:
        first = stream.readline()
        dialect = ";" if first.count(";") > first.count(",") else ","
        header = _header(next(csv.reader([first], delimiter=dialect), []))
        for number, cells in enumerate(csv.reader(stream, delimiter=dialect), start=2):
            if number - 1 > MAX_ROWS:
                raise BadSpreadsheet(Msg("The file has more than {MAX_ROWS} rows; split it.", MAX_ROWS=MAX_ROWS))
            if not any(c.strip() for c in cells):
                continue
            formulas = [n for n, c in zip(header, cells, strict=False) if c.startswith("=")]
            yield _row(number, header, list(cells), formulas)
    except UnicodeDecodeError as exc:
        raise BadSpreadsheet(
            Msg("The file is not UTF-8 text (byte {start}); save it as CSV UTF-8.", start=exc.start)
        ) from exc
    except csv.Error as exc:
        raise BadSpreadsheet(Msg("The CSV cannot be read: {exc}.", exc=exc)) from exc


def xlsx_rows(data: bytes) -> Iterator[Row]:
    """Rows of the workbook's sheet `Werte` (read-only; merged cells and formulas refused)."""
    book, merged = open_workbook(data, SHEET)
    if merged:
        raise BadSpreadsheet(f"Merged cells are not accepted in sheet {SHEET!r}: {', '.join(merged[:5])}.")
    try:
        rows = book[SHEET].iter_rows(max_col=len(COLUMNS) + 5, max_row=MAX_ROWS + 2)
        header = _header([c.value for c in next(rows, ())])
        for number, cells in enumerate(rows, start=2):
            values = [c.value for c in cells]
            if all(v is None or v == "" for v in values):
                continue
            if number - 1 > MAX_ROWS:
                raise BadSpreadsheet(Msg("The workbook has more than {MAX_ROWS} rows; split it.", MAX_ROWS=MAX_ROWS))
            formulas = [n for n, c in zip(header, cells, strict=False) if is_formula(c)]
            yield _row(number, header, values, formulas)
    except BadSpreadsheet:
        raise
    except Exception as exc:
        raise BadSpreadsheet(
            Msg("The workbook cannot be read ({error}); save it again as .xlsx.", error=type(exc).__name__)
        ) from exc
    finally:
        book.close()
