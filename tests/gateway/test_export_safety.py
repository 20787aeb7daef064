"""Exports cannot run what people typed: generated text in every text field of the annual report comes out of the
workbook and the CSV as inert text (a formula's first character is quoted, as OWASP advises), and characters a
workbook cannot hold are dropped instead of failing the export.

The report is built from a template whose every text field receives its own generated text; the produced XLSX is
read back with openpyxl and the CSV with the csv module.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gateway.export import to_csv, to_xlsx
from gateway.views.report_schemas import AnnualReport
from tests.gateway.conftest import BL_KIP3, TokenFactory, needs

TEXT = "\x00text"  # placeholder for a generated text
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
UNHOLDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _figures() -> dict[str, str]:
    return {k: "-12.50" for k in ("original_plan", "plan_in_force", "committed", "disbursed", "spent")}


def _check() -> dict[str, Any]:
    return {"status": TEXT, "federal_credit": "1.00", "matched_contributions": "2.00", "headroom": "-1.00"}


def template() -> dict[str, Any]:
    indicator = {
        "indicator_id": str(uuid.uuid4()),
        "code": TEXT,
        "title": TEXT,
        "unit": TEXT,
        "year": 2024,
        "target": "5",
        "value": "4",
        "value_status": TEXT,
        "missing": False,
        "to_date": {"years": [2024], "target": "5", "value": "4"},
        "illustrative": True,
    }
    text = {"missing": False, "version": 1, "text": TEXT, "regular_structures": [TEXT], "funding_area_name": TEXT}
    return {
        "programme": {
            "id": str(uuid.uuid4()),
            "canton": TEXT,
            "title": TEXT,
            "period": TEXT,
            "first_year": 2024,
            "last_year": 2027,
        },
        "year": 2024,
        "composed_at": "2026-01-01T00:00:00Z",
        "goals": [{"goal_id": str(uuid.uuid4()), "code": TEXT, "title": TEXT, "indicators": [indicator]}],
        "evaluations": [
            {
                "id": str(uuid.uuid4()),
                "kind": TEXT,
                "title": TEXT,
                "status": TEXT,
                "planned_end": TEXT,
                "actual_end": TEXT,
                "public_summary": TEXT,
                "findings": [{"number": 1, "text": TEXT}],
                "recommendations": [
                    {
                        "number": 1,
                        "text": TEXT,
                        "response_decision": TEXT,
                        "response_due_date": TEXT,
                        "actions": [{"title": TEXT, "status": TEXT, "due_date": TEXT}],
                    }
                ],
            }
        ],
        "key_figures": [
            {
                "indicator_id": str(uuid.uuid4()),
                "code": TEXT,
                "title": TEXT,
                "unit": TEXT,
                "dimension": TEXT,
                "category": TEXT,
                "year": 2024,
                "value": "-3",
            }
        ],
        "finances": {
            "rows": [
                {
                    "funding_area_id": str(uuid.uuid4()),
                    "funding_area_code": TEXT,
                    "funding_area_name": TEXT,
                    "source": TEXT,
                    **_figures(),
                }
            ],
            "by_source": [{"source": TEXT, **_figures()}],
            "totals": _figures(),
        },
        "matching": {
            "planned": _check(),
            "actual": _check(),
            "credit": {"credit_id": str(uuid.uuid4()), "body": TEXT, "amount": "1.00", "used": "0.00", "left": "1.00"},
        },
        "coordination": {"year": 2024, "missing": False, "overall": text, "by_area": [dict(text)]},
        "financial_supervision": {
            "year": 2024,
            "missing": False,
            "version": 1,
            "approach": TEXT,
            "checks": [{"check_date": "2024-05-02", "subject": TEXT, "kind": TEXT, "result": TEXT}],
        },
        "degraded": [TEXT],
    }


def _fill(value: Any, texts: list[str]) -> Any:
    if value == TEXT:
        return texts.pop()
    if isinstance(value, dict):
        return {k: _fill(v, texts) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, texts) for v in value]
    return value


SLOTS = str(template()).count(repr(TEXT))
texts = st.text(st.characters(codec="utf-8") | st.sampled_from((*TRIGGERS, "\x00", "\x1b", "\ud800")), max_size=15)
risky = st.builds(lambda t, rest: t + rest, st.sampled_from(TRIGGERS), texts) | texts


def _inert(text: str) -> str:
    """What a typed text must look like in the export: unholdable characters gone, a formula's start quoted."""
    kept = UNHOLDABLE.sub("", text)
    return "'" + kept if kept.startswith(TRIGGERS) else kept


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")  # XML reads a CR as a line end


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def _report(generated: list[str]) -> AnnualReport:
    return AnnualReport.model_validate(_fill(template(), list(generated)))


@settings(max_examples=150, deadline=None)
@given(st.lists(risky, min_size=SLOTS, max_size=SLOTS))
def test_workbook_holds_every_text_as_inert_text(generated: list[str]) -> None:
    workbook = load_workbook(io.BytesIO(to_xlsx(_report(generated))))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is a formula"
    found = {_lines(c.value) for c in cells if isinstance(c.value, str)}
    for text in generated:  # a text is a cell, or the start of one (the period's cell adds the years)
        assert not _inert(text) or any(v.startswith(_lines(_inert(text))) for v in found), repr(text)
    for value in found:
        assert not UNHOLDABLE.search(value)
        assert not value.startswith(TRIGGERS) or (value.startswith("-") and _is_number(value)), repr(value)


@settings(max_examples=150, deadline=None)
@given(st.lists(risky, min_size=SLOTS, max_size=SLOTS))
def test_csv_holds_every_text_as_inert_text(generated: list[str]) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(_report(generated)), newline="")))
    fields = [f for row in rows for f in row]
    for text in generated:
        assert not _inert(text) or any(f.startswith(_inert(text)) for f in fields), repr(text)
    for value in fields:
        assert not UNHOLDABLE.search(value)
        dangerous = value.startswith(TRIGGERS) and not _is_number(value)
        assert not dangerous or value.startswith("#") or ("(" in value and value.startswith("-")), repr(value)


@needs("programme", "funding", "evaluation")
async def test_a_formula_typed_as_a_title_reaches_the_export_as_text(
    client: httpx.AsyncClient, token: TokenFactory, changes_data: None
) -> None:
    """Through the API: a programme titled with a formula is quoted in the CSV and a string in the workbook."""
    editor = token("canton-editor", canton="BL")
    current = await client.get(f"/api/programme/v1/programmes/{BL_KIP3}", headers=editor)
    title = '=HYPERLINK("http://evil.example","x")'
    changed = await client.patch(
        f"/api/programme/v1/programmes/{BL_KIP3}",
        json={"title": title},
        headers=editor | {"If-Match": current.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.text
    url = f"/api/v1/views/sem/programmes/{BL_KIP3}/annual-report/2025"
    workbook = await client.get(url, params={"format": "xlsx"}, headers=token("sem") | {"Accept-Language": "en"})
    assert workbook.status_code == 200, workbook.text
    summary = load_workbook(io.BytesIO(workbook.content))["Summary"]
    cell = next(c for row in summary.iter_rows() for c in row if isinstance(c.value, str) and title in c.value)
    assert cell.data_type == "s" and cell.value == "'" + title
    text = (await client.get(url, params={"format": "csv"}, headers=token("sem") | {"Accept-Language": "en"})).text
    assert ["programme", "'" + title] in list(csv.reader(io.StringIO(text, newline="")))
