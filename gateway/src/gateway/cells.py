"""What a spreadsheet cell may receive: the rules every text cell of every export (XLSX and CSV) goes through.

Two dangers come with text people typed:

- A text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is taken as a formula by Excel and
  LibreOffice when the CSV is opened (and openpyxl writes a text starting with `=` as a live formula into the
  workbook): `=HYPERLINK(...)` or `=cmd|...` in a measure's title would run on SEM's desk. Following OWASP's CSV
  injection guidance, such a text is prefixed with a single quote `'`, which the spreadsheet shows as text.
- Control characters (other than tab, LF, CR) cannot be stored in a workbook at all (openpyxl raises, the export
  was a 500), nor can unpaired surrogates be written as UTF-8. They are removed; the services refuse them on input,
  but what was stored before that rule still reaches the exports.

Numbers (int, Decimal) and empty cells pass unchanged: only text is rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

#: The first characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Full-width forms some spreadsheet applications also accept as a formula's start.
FULL_WIDTH_TRIGGERS = ("\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` without the characters a workbook cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE) or UTF-8 cannot
    encode (unpaired surrogates)."""
    return _SURROGATES.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))


def safe_cell(value: Any) -> Any:
    """The one function every exported cell goes through: text is cleaned and, when a spreadsheet would take it for
    a formula, prefixed with `'`; anything else is returned as it is."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    if text.startswith(FORMULA_TRIGGERS + FULL_WIDTH_TRIGGERS):
        return QUOTE + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    """A row of an export with every cell through `safe_cell`."""
    return [safe_cell(value) for value in row]
