"""Hostile and broken uploads are answered with 4xx problems naming what is wrong, never a 5xx, nothing stored.

The fuzzed cases run `KIP_FUZZ_EXAMPLES` examples (30 by default; raise it for a longer campaign)."""

from __future__ import annotations

import io
import os
import zipfile
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from evaluation.indicator_value.models import IndicatorValue
from kit.spreadsheet import MAX_UPLOAD_BYTES

URL = "/v1/indicator-values/upload"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXAMPLES = int(os.environ.get("KIP_FUZZ_EXAMPLES", "30"))


def workbook(rows: list[list[Any]], title: str = "Werte") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


async def send(client: httpx.AsyncClient, headers: dict[str, str], body: bytes, kind: str = XLSX) -> httpx.Response:
    return await client.post(URL, content=body, headers={**headers, "Content-Type": kind})


async def test_named_refusals(client: httpx.AsyncClient, editor: dict[str, str], rows: Any) -> None:
    good = workbook([["indicator_id", "year", "value"]])
    cases: dict[str, tuple[bytes, int, str]] = {
        "random": (b"\x00\x01garbage" * 10, 422, "not a zip archive"),
        "truncated": (good[: len(good) // 2], 422, "not a readable .xlsx"),
        "not a workbook": (zipped({"hello.txt": b"hi"}), 422, "not an Excel workbook"),
        "macros": (
            zipped({**dict.fromkeys(["[Content_Types].xml", "xl/workbook.xml"], b"<x/>"), "xl/vbaProject.bin": b"x"}),
            422,
            "macros",
        ),
        "bomb": (
            zipped({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b" " * (120 * 1024 * 1024)}),
            413,
            "unzips to",
        ),
        "wrong sheet": (workbook([["indicator_id", "year", "value"]], title="Sheet1"), 422, "no sheet named 'Werte'"),
        "wrong header": (workbook([["indikator", "jahr", "wert"]]), 422, "unknown: indikator"),
        "too large": (b"x" * (MAX_UPLOAD_BYTES + 1), 413, "at most"),
    }
    for name, (body, status, words) in cases.items():
        r = await send(client, editor, body)
        assert r.status_code == status, (name, r.text)
        assert r.headers["content-type"].startswith("application/problem+json"), name
        assert words in r.json()["detail"], (name, r.json()["detail"])
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Werte"
    sheet.append(["indicator_id", "year", "value"])
    sheet.merge_cells("A2:B2")
    out = io.BytesIO()
    book.save(out)
    merged = await send(client, editor, out.getvalue())
    assert merged.status_code == 422 and "Merged cells" in merged.json()["detail"]
    assert await rows(IndicatorValue) == 0


cell = st.one_of(
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=3000).filter(lambda s: not any(ord(c) < 32 and c not in "\t\n\r" for c in s)),
    st.datetimes(),
    st.booleans(),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
async def test_fuzzed_uploads_never_answer_5xx(
    client: httpx.AsyncClient, editor: dict[str, str], data: st.DataObject
) -> None:
    kind = data.draw(st.sampled_from(["bytes", "csv", "xlsx", "truncated"]))
    if kind == "bytes":
        body = data.draw(st.binary(max_size=4000))
    elif kind == "csv":
        body = data.draw(st.text(max_size=4000)).encode("utf-8", "surrogatepass")
    else:
        header = data.draw(st.sampled_from([["indicator_id", "year", "value"], ["a", "b"], []]))
        grid = data.draw(st.lists(st.lists(cell, max_size=6), max_size=8))
        try:
            body = workbook([header, *grid])
        except Exception:
            return
        if kind == "truncated":
            # Cut at a share of the length, not at a drawn byte count: the workbook's length varies by a byte or two
            # with the second it is written (its timestamp), and a draw bounded by it would not replay the same.
            body = body[: len(body) * data.draw(st.integers(0, 1000)) // 1000]
    r = await send(client, editor, body, XLSX if kind != "csv" else "text/csv")
    assert r.status_code < 500, r.text
