"""The budget grid through the gateway: the workbook goes out and, edited, comes back as a dry run."""

from __future__ import annotations

import io

import httpx
from openpyxl import load_workbook

from gateway.export import XLSX_MEDIA_TYPE
from tests.gateway.conftest import BL_KIP3, TokenFactory, needs

URL = f"/api/funding/v1/programmes/{BL_KIP3}/budget-grid"

pytestmark = needs("funding")


async def test_grid_round_trips_through_the_gateway(client: httpx.AsyncClient, token: TokenFactory) -> None:
    editor = token("canton-editor", canton="BL")
    out = await client.get(URL, headers=editor, params={"format": "xlsx"})
    assert out.status_code == 200, out.text
    book = load_workbook(io.BytesIO(out.content))
    sheet = book["Budget"]
    cell = sheet["K4"]
    cell.value = (cell.value or 0) + 1
    edited = io.BytesIO()
    book.save(edited)
    dry = await client.post(
        URL,
        content=edited.getvalue(),
        headers={**editor, "Content-Type": XLSX_MEDIA_TYPE},
        params={"dry_run": "true"},
    )
    assert dry.status_code == 200, dry.text
    assert [c["cell"] for c in dry.json()["changes"]] == ["Budget!K4"]
    assert dry.headers["ETag"] == out.headers["ETag"]
