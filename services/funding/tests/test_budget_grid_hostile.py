"""Broken and hostile budget-grid uploads: a 4xx problem naming what is wrong, never a 5xx, nothing written.

The fuzzed case runs `KIP_FUZZ_EXAMPLES` examples (30 by default)."""

from __future__ import annotations

import io
import os
import zipfile
from typing import Any

import httpx
from budget_grids import URL, XLSX, edited
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funding.budget.models import BudgetRevision
from kit.spreadsheet import MAX_UPLOAD_BYTES

EXAMPLES = int(os.environ.get("KIP_FUZZ_EXAMPLES", "30"))
Api = Any


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


async def count(app: Any) -> int:
    from sqlalchemy import func, select

    async with app.state.session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(BudgetRevision)) or 0)


async def test_bad_files_are_named_and_change_nothing(
    api: Api, app: Any, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await api.budget_line(2024, "language", "canton", "100.00")
    grid = (await client.get(URL, headers=editor, params={"format": "xlsx"})).content
    cases: dict[str, tuple[bytes, int, str]] = {
        "random bytes": (b"\x00garbage" * 50, 422, "not a zip archive"),
        "truncated": (grid[: len(grid) // 2], 422, "not a readable .xlsx"),
        "macros": (
            edited(grid, lambda b: None)[:0]
            + zipped({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"x"}),
            422,
            "macros",
        ),
        "zip bomb": (
            zipped({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"\0" * (110 * 1024 * 1024)}),
            413,
            "unzips to",
        ),
        "too large": (b"PK" + b"x" * MAX_UPLOAD_BYTES, 413, "at most"),
        "wrong sheet": (edited(grid, lambda b: setattr(b["Budget"], "title", "Tabelle1")), 422, "no sheet named"),
        "no version": (edited(grid, lambda b: b.remove(b["_meta"])), 422, "_meta"),
        "merged": (edited(grid, lambda b: b["Budget"].merge_cells("D5:E5")), 422, "Merged cells"),
        "header": (edited(grid, lambda b: b["Budget"].cell(3, 4, "Betrag")), 422, "header"),
    }
    for name, (body, status, words) in cases.items():
        r = await client.post(URL, content=body, headers={**editor, "Content-Type": XLSX}, params={"reason": "x"})
        assert r.status_code == status, (name, r.text)
        assert r.headers["content-type"].startswith("application/problem+json"), name
        assert words in r.text, (name, r.text)
    assert await count(app) == 1


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
async def test_fuzzed_grids_never_answer_5xx(
    api: Api, app: Any, client: httpx.AsyncClient, editor: dict[str, str], data: st.DataObject
) -> None:
    grid = (await client.get(URL, headers=editor, params={"format": "xlsx"})).content
    kind = data.draw(st.sampled_from(["bytes", "cells", "truncated"]))
    if kind == "bytes":
        body = data.draw(st.binary(max_size=3000))
    elif kind == "truncated":
        body = grid[: data.draw(st.integers(0, 20_000))]
    else:
        cells = data.draw(
            st.dictionaries(
                st.tuples(st.integers(1, 40), st.integers(1, 16)),
                st.one_of(
                    st.none(),
                    st.integers(-(10**16), 10**16),
                    st.floats(),
                    st.text(max_size=2000),
                    st.datetimes(),
                    st.booleans(),
                ),
                max_size=6,
            )
        )

        def change(book: Any) -> None:
            for (row, column), value in cells.items():
                book["Budget"].cell(row, column, value)

        try:
            body = edited(grid, change)
        except Exception:
            return
    r = await client.post(URL, content=body, headers={**editor, "Content-Type": XLSX}, params={"dry_run": "true"})
    assert r.status_code < 500, r.text
