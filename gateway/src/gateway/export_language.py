"""The annual report's files in the caller's language: the one place where sheet names, headers, row labels and
codes go through kit's label catalogue (`export_sheet`, `export_column`, `export_row` and the code kinds).

The language is the one `Accept-Language` asked for, else the programme's working language (`de` for BL).
English is the developers' language: in English the files are the report's own tables (English keys, codes,
ISO dates, CSV with `,`), as scripts read them.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from kit import i18n


class _Table(Protocol):
    name: str
    headers: list[str]
    rows: list[list[Any]]


T = TypeVar("T", bound=_Table)

#: Columns whose cells hold codes, by table and header (a table of `None` means any table): the label kind.
CODE_COLUMNS: dict[tuple[str | None, str], str] = {
    (None, "provenance"): "provenance",
    ("Finances", "source"): "money_source",
    ("Matching", "status"): "match_status",
    ("Evaluations", "kind"): "evaluation_kind",
    ("Evaluations", "status"): "evaluation_status",
    ("Goals", "unit"): "unit",
    ("Goals", "value status"): "value_status",
    ("Key figures", "unit"): "unit",
    ("Financial supervision", "kind"): "supervision_kind",
}
#: Columns whose cells are the report's own row labels (`Total`, `legend`, `finding`, `missing`, ...).
ROW_COLUMNS = frozenset({"item", "check", "scope", "text"})


def export_language(working_language: str | None) -> str:
    """The language of a programme's files: the one `Accept-Language` asked for, else the programme's working
    language (German where the programme names none, as a report stored before it had one)."""
    requested = i18n.requested_language()
    if requested is not None:
        return requested
    return working_language if working_language in i18n.SUPPORTED else i18n.LABEL_DEFAULT


def for_people(lang: str | None) -> bool:
    """Whether files in `lang` are written for people (words, Swiss formats) rather than for scripts (English)."""
    return lang is not None and lang != "en"


def localized(table: T, lang: str | None, legend: str) -> T:
    """The table as a person reads it in `lang`: the one place where sheet names, headers, row labels and codes
    go through the label catalogue (`export_sheet`, `export_column`, `export_row` and the code kinds)."""
    if lang is None or not for_people(lang):
        return table
    kinds = [CODE_COLUMNS.get((table.name, h)) or CODE_COLUMNS.get((None, h)) for h in table.headers]
    rows_at = [column == 0 or h in ROW_COLUMNS for column, h in enumerate(table.headers)]
    rows: list[list[Any]] = []
    for row in table.rows:
        line: list[Any] = []
        for column, value in enumerate(row):
            if isinstance(value, str) and column < len(kinds):
                kind = kinds[column]
                if kind is not None:
                    value = i18n.label(kind, value, lang)
                elif rows_at[column]:
                    value = i18n.label("export_row", value, lang)
            if value == legend:
                value = i18n.translate(legend, lang)
            line.append(_as_date(value))
        rows.append(line)
    result = copy.copy(table)
    result.name = i18n.label("export_sheet", table.name, lang)[:31]  # Excel's limit for a sheet name
    result.headers = [i18n.label("export_column", h, lang) for h in table.headers]
    result.rows = rows
    return result


def _as_date(value: Any) -> Any:
    """An ISO date (`2025-06-30`, as the services send them) as a date, so it is written DD.MM.YYYY."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def as_csv_value(value: Any) -> Any:
    """A cell as CSV text: dates DD.MM.YYYY, amounts with their two decimals, nothing as empty."""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return "" if value is None else format(value, "f") if isinstance(value, Decimal) else value
