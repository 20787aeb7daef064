"""The budget grid: exported, edited in a spreadsheet program, dry run, applied, re-exported; stale grids and bad
cells change nothing."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from budget_grids import URL, area, edit, export, find, post
from openpyxl import load_workbook

from kit.ids import seed_uuid

PROGRAMME = seed_uuid("programme", "BL-KIP3")
Api = Any

pytestmark = pytest.mark.asyncio


async def test_round_trip_shows_exactly_the_changed_cells_and_applies_them(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await api.budget_line(2025, "language", "canton", "250000.00")
    grid = await export(client, editor)
    book = load_workbook(io.BytesIO(grid))
    sheet = book["Budget"]
    assert sheet.protection.sheet is True
    assert book["_meta"].sheet_state == "veryHidden"
    row = find(grid, 2025, "language")
    assert sheet[f"A{row}"].protection.locked and not sheet[f"K{row}"].protection.locked
    # K: canton in force, J: canton original; E: IFK in force (empty)
    assert (sheet[f"J{row}"].value, sheet[f"K{row}"].value) == (250000, 250000)
    edited = edit(grid, {f"K{row}": 260000.5, f"E{row}": 200000})

    dry = await post(client, editor, edited, dry_run="true")
    assert dry.status_code == 200, dry.text
    report = dry.json()
    changes = {(c["cell"], c["source"], c["old"], c["new"]) for c in report["changes"]}
    assert changes == {
        (f"Budget!K{row}", "canton", "250000.00", "260000.50"),
        (f"Budget!E{row}", "federal_integration_credit", None, "200000.00"),
    }
    assert report["applied"] is False
    assert (await export(client, editor)) and find(await export(client, editor), 2025, "language") == row
    unchanged = (await client.get(URL, headers=editor)).json()
    assert {(x["source"], x["in_force"]) for x in unchanged["lines"] if x["in_force"]} == {("canton", "250000.00")}

    applied = await post(client, editor, edited, reason="Budget 2025 nach Landratsbeschluss")
    assert applied.status_code == 200, applied.text
    assert applied.json()["applied"] is True
    assert applied.headers["ETag"] != dry.headers["ETag"]
    again = load_workbook(io.BytesIO(await export(client, editor)))["Budget"]
    assert (again[f"J{row}"].value, again[f"K{row}"].value, again[f"E{row}"].value) == (250000, 260000.5, 200000)
    lines = (await client.get("/v1/budget-lines", headers=editor, params={"programme_id": str(PROGRAMME)})).json()
    assert sorted((x["source"], x["current_revision"]) for x in lines["items"]) == [
        ("canton", 2),
        ("federal_integration_credit", 1),
    ]


async def test_a_stale_grid_is_refused_naming_what_changed(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], editor2: dict[str, str]
) -> None:
    line = await api.budget_line(2026, "early_childhood", "communes", "1000.00")
    grid = await export(client, editor)
    row = find(grid, 2026, "early_childhood")
    r = await client.post(
        f"/v1/budget-lines/{line['id']}/revisions",
        headers={**editor2, "If-Match": '"1"'},
        json={"amount": "1500.00", "reason": "meanwhile"},
    )
    assert r.status_code == 201
    stale = await post(client, editor, edit(grid, {f"M{row}": 9}), reason="late")
    assert stale.status_code == 412, stale.text
    body = stale.json()
    assert body["type"] == "/problems/precondition-failed"
    assert [(c["year"], c["source"], c["exported_revision"], c["current_revision"]) for c in body["changed"]] == [
        (2026, "communes", 1, 2)
    ]
    assert "Frühe Kindheit" in body["detail"]
    after = (await client.get(f"/v1/budget-lines/{line['id']}", headers=editor)).json()
    assert after["in_force"] == "1500.00"


async def test_one_bad_cell_changes_nothing_and_names_every_bad_cell(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await api.budget_line(2024, "language", "canton", "100.00")
    grid = await export(client, editor)
    row = find(grid, 2024, "language")
    bad = edit(grid, {f"K{row}": 200, f"M{row}": "zwölf", f"O{row}": "=K5*2", f"G{row + 1}": 1.234})
    r = await post(client, editor, bad, reason="x")
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["type"] == "/problems/funding/grid-invalid"
    cells = {c["cell"]: c["message"] for c in body["cells"]}
    assert set(cells) == {f"Budget!M{row}", f"Budget!O{row}", f"Budget!G{row + 1}"}
    assert "text 'zwölf'" in cells[f"Budget!M{row}"]
    assert "formula" in cells[f"Budget!O{row}"]
    assert "two decimals" in cells[f"Budget!G{row + 1}"]
    lines = (await client.get("/v1/budget-lines", headers=editor, params={"programme_id": str(PROGRAMME)})).json()
    assert [x["in_force"] for x in lines["items"]] == ["100.00"]


async def test_json_grid_needs_if_match_and_applies_whole(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await api.budget_line(2024, "language", "canton", "100.00")
    r = await client.get(URL, headers=editor)
    etag = r.headers["ETag"]
    body: dict[str, Any] = {
        "reason": "Jahresplanung 2025",
        "lines": [
            {"year": 2025, "funding_area_id": area("language"), "source": "canton", "amount": "500.00"},
            {
                "year": 2025,
                "funding_area_id": area("language"),
                "source": "federal_integration_credit",
                "amount": "900.00",
            },
        ],
    }
    assert (await client.put(URL, headers=editor, json=body)).status_code == 428
    dry = await client.put(URL, headers={**editor, "If-Match": etag}, json=body, params={"dry_run": "true"})
    assert dry.status_code == 200, dry.text
    assert any("2025" in w and "exceeds" in w for w in dry.json()["warnings"])
    done = await client.put(URL, headers={**editor, "If-Match": etag}, json=body)
    assert done.status_code == 200, done.text
    assert len(done.json()["changes"]) == 2
    again = await client.put(URL, headers={**editor, "If-Match": etag}, json=body)
    assert again.status_code == 412
    body["lines"][0]["amount"] = "600.00"
    listed = await client.put(URL, headers={**editor, "If-Match": f'"g-0", {done.headers["ETag"]}'}, json=body)
    assert listed.status_code == 200, listed.text
    body["lines"][0]["amount"] = "700.00"
    star = await client.put(URL, headers={**editor, "If-Match": "*"}, json=body)
    assert star.status_code == 200 and [c["old"] for c in star.json()["changes"]] == ["600.00"]


async def test_viewers_cannot_apply_and_partners_cannot_read(
    client: httpx.AsyncClient, token: Any, editor: dict[str, str]
) -> None:
    grid = await export(client, editor)
    viewer = token("canton-viewer", canton="BL")
    assert (await post(client, viewer, grid, dry_run="true")).status_code == 403
    partner = token("partner", partner_id=str(seed_uuid("partner", "ald")))
    assert (await client.get(URL, headers=partner)).status_code == 403
    other = token("canton-editor", canton="ZH")
    assert (await client.get(URL, headers=other)).status_code == 404


async def test_a_plan_past_the_credit_is_shown_and_warned(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await api.credit("1000.00", sources=("canton",))
    await api.budget_line(2024, "language", "canton", "900.00")
    grid = await client.get(URL, headers=editor)
    assert [(c["planned"], c["headroom"]) for c in grid.json()["credits"]] == [("900.00", "100.00")]
    body = {
        "reason": "mehr Kurse",
        "lines": [{"year": 2024, "funding_area_id": area("language"), "source": "canton", "amount": "1500.00"}],
    }
    dry = await client.put(
        URL, headers={**editor, "If-Match": grid.headers["ETag"]}, json=body, params={"dry_run": "1"}
    )
    assert dry.status_code == 200, dry.text
    assert [w for w in dry.json()["warnings"] if w.startswith("Credit")] == [
        "Credit Landrat (2024–2027, 1000.00): the plan in force for its years and sources comes to 1500.00, "
        "500.00 more than the credit."
    ]
    done = await client.put(URL, headers={**editor, "If-Match": grid.headers["ETag"]}, json=body)
    assert done.status_code == 200, done.text
    after = (await client.get(URL, headers=editor)).json()
    assert [(c["planned"], c["headroom"]) for c in after["credits"]] == [("1500.00", "-500.00")]
    wb = await client.get(URL, headers=editor, params={"format": "xlsx"})
    assert wb.status_code == 200


async def test_the_csv_grid_goes_out_and_back(api: Api, client: httpx.AsyncClient, editor: dict[str, str]) -> None:
    await api.budget_line(2025, "language", "canton", "100.00")
    out = await client.get(URL, headers=editor, params={"format": "csv"})
    assert out.status_code == 200 and out.headers["content-type"].startswith("text/csv")
    lines = out.content.decode("utf-8-sig").splitlines()
    target = next(i for i, line in enumerate(lines) if f"2025;{area('language')};" in line and ";canton;" in line)
    cells = lines[target].split(";")
    assert cells[4:7] == ["100.00", "100.00", "1"]
    cells[5] = "150.5"
    lines[target] = ";".join(cells)
    bad = target + 1
    bad_cells = lines[bad].split(";")
    bad_cells[5] = "viel"
    edited = [*lines]
    edited[bad] = ";".join(bad_cells)
    refused = await client.post(
        URL, headers={**editor, "Content-Type": "text/csv"}, content="\n".join(edited).encode(), params={"reason": "x"}
    )
    assert refused.status_code == 422, refused.text
    assert [c["cell"] for c in refused.json()["cells"]] == [f"row {bad + 1} in_force"]
    dry = await client.post(
        URL, headers={**editor, "Content-Type": "text/csv"}, content="\n".join(lines).encode(), params={"dry_run": "1"}
    )
    assert dry.status_code == 200, dry.text
    assert [(c["cell"], c["old"], c["new"]) for c in dry.json()["changes"]] == [
        (f"row {target + 1} in_force", "100.00", "150.50")
    ]
    done = await client.post(
        URL, headers={**editor, "Content-Type": "text/csv"}, content="\n".join(lines).encode(), params={"reason": "CSV"}
    )
    assert done.status_code == 200, done.text
    stale = await client.post(
        URL, headers={**editor, "Content-Type": "text/csv"}, content="\n".join(lines).encode(), params={"reason": "CSV"}
    )
    assert stale.status_code == 412
    assert [(c["source"], c["exported_revision"], c["current_revision"]) for c in stale.json()["changed"]] == [
        ("canton", 1, 2)
    ]
