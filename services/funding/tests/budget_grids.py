"""What the budget-grid tests share: the grid's address for BL KIP 3, exporting it, editing cells as a spreadsheet
program would, finding a row, and uploading a workbook."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook

from kit.ids import seed_uuid

URL = f"/v1/programmes/{seed_uuid('programme', 'BL-KIP3')}/budget-grid"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def area(code: str) -> str:
    """The id of a KIP 3 funding area, by its code."""
    return str(seed_uuid("funding-area", f"KIP3/{code}"))


async def export(client: httpx.AsyncClient, editor: dict[str, str]) -> bytes:
    r = await client.get(URL, headers=editor, params={"format": "xlsx"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX
    return r.content


def edited(grid: bytes, change: Callable[[Workbook], object]) -> bytes:
    """The workbook after `change`, saved again."""
    book = load_workbook(io.BytesIO(grid))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edit(grid: bytes, changes: dict[str, Any]) -> bytes:
    """The workbook with the cells of its `Budget` sheet set (`{"F5": "1000.00"}`)."""

    def write(book: Workbook) -> None:
        for ref, value in changes.items():
            book["Budget"][ref] = value

    return edited(grid, write)


def find(grid: bytes, year: int, area_code: str) -> int:
    """The row of a year and funding area in the `Budget` sheet."""
    sheet = load_workbook(io.BytesIO(grid))["Budget"]
    for row in range(4, sheet.max_row + 1):
        if sheet.cell(row, 1).value == year and sheet.cell(row, 3).value == area(area_code):
            return row
    raise AssertionError(f"no row for {year} {area_code}")


async def post(client: httpx.AsyncClient, editor: dict[str, str], grid: bytes, **params: Any) -> httpx.Response:
    """Upload a workbook (a dry run unless the parameters say otherwise)."""
    return await client.post(URL, headers={**editor, "Content-Type": XLSX}, content=grid, params=params)
