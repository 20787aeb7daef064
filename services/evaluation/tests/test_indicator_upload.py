"""Indicator values in bulk: every row through the plausibility rules, all or nothing, partners only their own."""

from __future__ import annotations

import io
import uuid
from typing import Any

import httpx
from openpyxl import Workbook

from evaluation.indicator_value.models import IndicatorValue

URL = "/v1/indicator-values/upload"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def indicator_id(indicator: Any, code: str, measure: str) -> str:
    """The id of a new output indicator of `measure` (the suite's `indicator` fixture makes it)."""
    return str((await indicator(code, measure=measure))["id"])


def csv_file(rows: list[tuple[str, int, str, str]]) -> bytes:
    lines = ["indicator_id;year;value;dimension;category;evidence"]
    lines += [f"{i};{y};{v};target_group;{c};Kursliste" for i, y, v, c in rows]
    return "\n".join(lines).encode()


def five_hundred(indicator_id: str) -> list[tuple[str, int, str, str]]:
    return [(indicator_id, 2024 + n % 4, str(n), f"g{n // 4}") for n in range(500)]


async def test_one_bad_row_of_500_stores_nothing_and_the_corrected_file_stores_500(
    client: httpx.AsyncClient, as_partner: Any, indicator: Any, rows: Any
) -> None:
    mine = await indicator_id(indicator, "ald-clients", "BL-1.02")
    ald = {**as_partner("ald"), "Content-Type": "text/csv"}
    data = five_hundred(mine)
    data[249] = (mine, data[249][1], "-1", data[249][3])  # file row 251 (the header is row 1)
    bad = await client.post(URL, content=csv_file(data), headers=ald)
    assert bad.status_code == 422, bad.text
    problem = bad.json()
    assert problem["type"] == "/problems/evaluation/upload-invalid"
    assert [r["row"] for r in problem["rows"]] == [251]
    assert "whole number of at least 0" in problem["rows"][0]["message"]
    assert await rows(IndicatorValue) == 0

    fixed = five_hundred(mine)
    dry = await client.post(URL, content=csv_file(fixed), headers=ald, params={"dry_run": "true"})
    assert dry.status_code == 200, dry.text
    assert dry.json() == {"dry_run": True, "rows": 500, "stored": 0}
    assert await rows(IndicatorValue) == 0
    done = await client.post(URL, content=csv_file(fixed), headers=ald)
    assert done.status_code == 200, done.text
    assert done.json()["stored"] == 500
    assert await rows(IndicatorValue) == 500


async def test_a_row_for_another_partners_indicator_names_the_row_and_reveals_nothing(
    client: httpx.AsyncClient, as_partner: Any, indicator: Any, rows: Any
) -> None:
    mine = await indicator_id(indicator, "ald-clients", "BL-1.02")
    theirs = await indicator_id(indicator, "bmh-courses", "BL-2.01")
    unknown = str(uuid.uuid4())
    body = csv_file([(mine, 2025, "3", "a1"), (theirs, 2025, "4", "a1"), (unknown, 2025, "5", "a1")])
    r = await client.post(URL, content=body, headers={**as_partner("ald"), "Content-Type": "text/csv"})
    assert r.status_code == 422, r.text
    found = {x["row"]: x["message"] for x in r.json()["rows"]}
    assert set(found) == {3, 4}
    assert found[3].replace(theirs, "X") == found[4].replace(unknown, "X")
    assert "bmh" not in r.text and "bmh-courses" not in r.text
    assert await rows(IndicatorValue) == 0


async def test_xlsx_upload_names_dates_formulas_and_text_by_row(
    client: httpx.AsyncClient, editor: dict[str, str], indicator: Any, rows: Any
) -> None:
    import datetime as dt

    mine = await indicator_id(indicator, "ald-clients", "BL-1.02")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Werte"
    sheet.append(["indicator_id", "year", "value"])
    sheet.append([mine, 2025, 12])
    sheet.append([mine, dt.datetime(2025, 1, 1), 12])
    sheet.append([mine, 2026, "=1+1"])
    sheet.append([mine, 2027, "zwölf"])
    out = io.BytesIO()
    book.save(out)
    r = await client.post(URL, content=out.getvalue(), headers={**editor, "Content-Type": XLSX})
    assert r.status_code == 422, r.text
    found = {x["row"]: x["message"] for x in r.json()["rows"]}
    assert set(found) == {3, 4, 5}
    assert "date" in found[3] and "formula" in found[4] and "not a number" in found[5]
    assert await rows(IndicatorValue) == 0


async def test_rows_of_one_file_are_checked_against_each_other(
    client: httpx.AsyncClient, editor: dict[str, str], indicator: Any, rows: Any
) -> None:
    mine = await indicator_id(indicator, "ald-clients", "BL-1.02")
    body = (
        "indicator_id,year,value,dimension,category\n"
        f"{mine},2025,100,,\n{mine},2025,60,sex,female\n{mine},2025,50,sex,male\n{mine},2025,7,,\n"
    ).encode()
    r = await client.post(URL, content=body, headers={**editor, "Content-Type": "text/csv"})
    assert r.status_code == 422, r.text
    found = {x["row"]: x["message"] for x in r.json()["rows"]}
    assert set(found) == {5}
    assert "exists already" in found[5]
    fixed = body.replace(f"{mine},2025,7,,\n".encode(), b"")
    r = await client.post(URL, content=fixed, headers={**editor, "Content-Type": "text/csv"})
    assert r.status_code == 422, r.text
    assert r.json()["rows"] and all(
        "add up to 110" in x["message"] or "below the parts" in x["message"] for x in r.json()["rows"]
    )
    assert await rows(IndicatorValue) == 0
