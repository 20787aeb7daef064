"""The budget grid in French, Italian, German and English: texts in the reader's language (else the programme's
working language), and a grid of any language read back."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from budget_grids import URL, XLSX, area, edit, find, post
from openpyxl import load_workbook

pytestmark = pytest.mark.asyncio
Api = Any


async def test_a_french_workbook_speaks_french_and_goes_back(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await api.budget_line(2025, "language", "canton", "250000.00")
    out = await client.get(URL, headers=editor | {"Accept-Language": "fr-CH"}, params={"format": "xlsx"})
    assert out.status_code == 200 and out.headers["content-type"] == XLSX
    assert out.headers["content-language"] == "fr"
    sheet = load_workbook(io.BytesIO(out.content))["Budget"]
    header = [c.value for c in sheet[3]]
    assert header[:5] == [
        "Année",
        "Domaine d'encouragement",
        "ID du domaine d'encouragement",
        "CII Confédération original (federal_integration_credit)",
        "CII Confédération en vigueur (federal_integration_credit)",
    ]
    assert str(sheet["A1"].value).startswith("Grille budgétaire du programme")
    row = find(out.content, 2025, "language")
    assert sheet[f"B{row}"].value == "Langue"  # the area's French name from the programme service
    texts = {c.value for line in sheet.iter_rows() for c in line if isinstance(c.value, str)}
    assert {"Cofinancement (plan en vigueur)", "Crédits", "Marge"} <= texts
    assert texts & {"oui", "non"} and not texts & {"ja", "nein", "Kredite", "Förderbereich"}
    assert sheet[f"K{row}"].number_format == "#,##0.00"

    dry = await post(client, editor, edit(out.content, {f"K{row}": 260000}), dry_run="true")
    assert dry.status_code == 200, dry.text
    assert [(c["cell"], c["old"], c["new"]) for c in dry.json()["changes"]] == [
        (f"Budget!K{row}", "250000.00", "260000.00")
    ]


async def test_without_accept_language_the_grid_is_in_the_programmes_working_language(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    out = await client.get(URL, headers=editor, params={"format": "xlsx"})
    assert out.headers["content-language"] == "de"  # BL works in German
    header = [c.value for c in load_workbook(io.BytesIO(out.content))["Budget"][3]]
    assert header[:4] == ["Jahr", "Förderbereich", "Förderbereich-ID", "IFK Bund Original (federal_integration_credit)"]


@pytest.mark.parametrize(
    ("lang", "first"),
    [("it", "Anno"), ("fr", "Année"), ("de", "Jahr"), ("en", "year")],
)
async def test_a_csv_grid_in_any_language_opens_in_swiss_excel_and_goes_back(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], lang: str, first: str
) -> None:
    await api.budget_line(2025, "language", "canton", "100.00")
    out = await client.get(URL, headers=editor | {"Accept-Language": lang}, params={"format": "csv"})
    assert out.status_code == 200 and out.headers["content-language"] == lang
    assert out.content.startswith(b"\xef\xbb\xbf")
    lines = out.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[0] == first
    target = next(i for i, line in enumerate(lines) if f"2025;{area('language')};" in line and ";canton;" in line)
    cells = lines[target].split(";")
    cells[5] = "120"
    lines[target] = ";".join(cells)
    dry = await client.post(
        URL, headers={**editor, "Content-Type": "text/csv"}, content="\n".join(lines).encode(), params={"dry_run": "1"}
    )
    assert dry.status_code == 200, dry.text
    assert [(c["old"], c["new"]) for c in dry.json()["changes"]] == [("100.00", "120.00")]


async def test_a_header_of_no_language_is_refused(client: httpx.AsyncClient, editor: dict[str, str]) -> None:
    out = await client.get(URL, headers=editor, params={"format": "csv"})
    lines = out.content.decode("utf-8-sig").splitlines()
    lines[0] = lines[0].replace("Jahr", "Jahrgang")
    refused = await client.post(
        URL, headers={**editor, "Content-Type": "text/csv"}, content="\n".join(lines).encode(), params={"dry_run": "1"}
    )
    assert refused.status_code in (400, 415, 422), refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")


async def test_a_bad_cell_is_named_in_the_callers_language(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await api.budget_line(2025, "language", "canton", "100.00")
    grid = (await client.get(URL, headers=editor, params={"format": "xlsx"})).content
    row = find(grid, 2025, "language")
    bad = edit(grid, {f"K{row}": "viel"})
    french = {**editor, "Content-Type": XLSX, "Accept-Language": "fr"}
    refused = await client.post(URL, headers=french, content=bad, params={"dry_run": "true"})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-language"] == "fr"
    (cell,) = refused.json()["cells"]
    assert cell["cell"] == f"Budget!K{row}"
    assert cell["message"] == (
        "Un montant en CHF sous forme de nombre est attendu (p. ex. 1250.50), trouvé : texte 'viel'."
    )
