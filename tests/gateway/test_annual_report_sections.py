"""Every section VIntA art. 18 and SEM ask for, in the JSON, the workbook and the CSV: evaluations with findings,
recommendations, responses and actions; coordination and cooperation per funding area and overall; the canton's
financial supervision; each filled or explicitly missing."""

from __future__ import annotations

import csv
import datetime as dt
import io

import httpx
import pytest
from openpyxl import load_workbook

from kit.ids import seed_uuid
from tests.gateway.conftest import BL_KIP3, Platform, TokenFactory, needs

VIEWS = "/api/v1/views"
REPORT = f"{VIEWS}/sem/programmes/{BL_KIP3}/annual-report/2025"
TEXTS = f"/api/evaluation/v1/programmes/{BL_KIP3}/report-texts"
LANGUAGE = str(seed_uuid("funding-area", "KIP3/language"))

pytestmark = needs("funding", "evaluation")


async def test_the_seeded_2025_report_has_every_section_filled_or_marked_missing(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    report = (await client.get(REPORT, headers=token("sem"))).json()
    assert report["degraded"] == [] and report["missing"] == ["key_figures"]  # no 2025 value is confirmed yet
    assert all(i["value"] is not None or i["missing"] for g in report["goals"] for i in g["indicators"])
    coordination = report["coordination"]
    assert coordination["year"] == 2025 and coordination["missing"] is False
    assert coordination["overall"]["illustrative"] is True and coordination["overall"]["text"].startswith("## ")
    assert str(seed_uuid("partner", "ald")) in coordination["overall"]["partner_ids"]
    written = {a["funding_area_code"]: a for a in coordination["by_area"] if not a["missing"]}
    assert set(written) == {"language", "early_childhood"} and all(a["illustrative"] for a in written.values())
    assert len(coordination["by_area"]) == 7
    assert all(a["text"] is None for a in coordination["by_area"] if a["missing"])
    supervision = report["financial_supervision"]
    assert (supervision["year"], supervision["missing"], supervision["illustrative"]) == (2025, False, True)
    assert [c["kind"] for c in supervision["checks"]] == ["desk_review", "on_site"]
    assert report["evaluations"] and all({"findings", "recommendations"} <= set(e) for e in report["evaluations"])
    assert "levels" in report["matching"]

    workbook = load_workbook(
        io.BytesIO(
            (
                await client.get(REPORT, params={"format": "xlsx"}, headers=token("sem") | {"Accept-Language": "en"})
            ).content
        )
    )
    assert {"Coordination", "Financial supervision"} <= set(workbook.sheetnames)
    scopes = [row[0].value for row in list(workbook["Coordination"].iter_rows())[1:]]
    assert scopes[0] == "overall" and len(scopes) == 8
    rows = list(
        csv.reader(
            io.StringIO(
                (
                    await client.get(REPORT, params={"format": "csv"}, headers=token("sem") | {"Accept-Language": "en"})
                ).text
            )
        )
    )
    assert ["# Coordination"] in rows and ["# Financial supervision"] in rows


@pytest.mark.usefixtures("changes_data")
async def test_evaluations_carry_findings_recommendations_responses_and_actions(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    editor = token("canton-editor", canton="BL")
    ald = token("partner", partner="ald")
    evaluation = next(e for e in (await client.get(REPORT, headers=editor)).json()["evaluations"])
    base = f"/api/evaluation/v1/evaluations/{evaluation['id']}"
    finding = await client.post(
        f"{base}/findings", json={"text": "Die Beratung erreicht Neuzuziehende spät."}, headers=editor
    )
    assert finding.status_code == 201, finding.text
    recommendation = await client.post(
        f"{base}/recommendations",
        json={
            "text": "Erstgespräch innert drei Monaten anbieten.",
            "finding_id": finding.json()["id"],
            "addressee_partner_id": str(seed_uuid("partner", "ald")),
        },
        headers=editor,
    )
    assert recommendation.status_code == 201, recommendation.text
    rid = recommendation.json()["id"]
    response = await client.put(
        f"/api/evaluation/v1/recommendations/{rid}/response",
        json={"decision": "accepted"},
        headers={**ald, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    action = await client.post(
        f"/api/evaluation/v1/recommendations/{rid}/actions",
        json={
            "title": "Terminvergabe umstellen",
            "owner": "ald",
            "due_date": "2025-12-31",
            "target_kind": "measure",
            "target_id": str(seed_uuid("measure", "BL-KIP3/BL-1.02")),
        },
        headers=editor,
    )
    assert action.status_code == 201, action.text

    report = (await client.get(REPORT, headers=token("sem"))).json()
    line = next(e for e in report["evaluations"] if e["id"] == evaluation["id"])
    assert line["findings"] == [{"number": 1, "text": "Die Beratung erreicht Neuzuziehende spät."}]
    (rec,) = line["recommendations"]
    assert (rec["number"], rec["finding_number"], rec["response_decision"]) == (1, 1, "accepted")
    assert [(a["title"], a["status"]) for a in rec["actions"]] == [("Terminvergabe umstellen", "open")]
    workbook = load_workbook(
        io.BytesIO(
            (
                await client.get(REPORT, params={"format": "xlsx"}, headers=token("sem") | {"Accept-Language": "en"})
            ).content
        )
    )
    items = [(r[5].value, r[7].value) for r in workbook["Evaluations"].iter_rows() if r[0].value == evaluation["title"]]
    assert ("finding", "Die Beratung erreicht Neuzuziehende spät.") in items
    assert ("recommendation", "Erstgespräch innert drei Monaten anbieten.") in items
    assert ("action", "Terminvergabe umstellen") in items


@pytest.mark.usefixtures("changes_data")
async def test_coordination_and_supervision_texts_are_versioned_and_a_year_without_them_cannot_be_submitted(
    client: httpx.AsyncClient, token: TokenFactory, platform: Platform
) -> None:
    editor = token("canton-editor", canton="BL")
    text = "Neu: **Runder Tisch** Sprache mit BMH und Gemeinden."
    body = {"funding_area_id": LANGUAGE, "text": text, "partner_ids": [str(seed_uuid("partner", "bmh"))]}
    stale = await client.post(f"{TEXTS}/2025/coordination", json=body, headers=editor)
    assert stale.status_code == 409, stale.text
    assert stale.json()["type"].endswith("report-text/stale")
    written = await client.post(f"{TEXTS}/2025/coordination", json={**body, "previous_version": 1}, headers=editor)
    assert written.status_code == 201, written.text
    assert (written.json()["version"], written.json()["illustrative"]) == (2, False)
    foreign = {**body, "previous_version": 2, "partner_ids": [str(seed_uuid("partner", "nobody"))]}
    refused = await client.post(f"{TEXTS}/2025/coordination", json=foreign, headers=editor)
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["body", "partner_ids", 0]
    assert (await client.post(f"{TEXTS}/2025/coordination", json=body, headers=token("sem"))).status_code == 403
    zh = await client.get(f"{TEXTS}/2025/coordination", headers=token("canton-viewer", canton="ZH"))
    assert zh.status_code == 404
    versions = await client.get(
        f"{TEXTS}/2025/coordination/versions", params={"funding_area_id": LANGUAGE}, headers=editor
    )
    assert [v["version"] for v in versions.json()] == [1, 2]
    report = (await client.get(REPORT, headers=token("sem"))).json()
    language = next(a for a in report["coordination"]["by_area"] if a["funding_area_code"] == "language")
    assert (language["version"], language["text"], language["illustrative"]) == (2, text, False)

    # 2026 has no texts yet: the report says so, and a submission is refused naming both sections.
    platform.services["evaluation"].state.get_today = lambda: dt.date(2027, 2, 1)
    later = (await client.get(REPORT.replace("2025", "2026"), headers=token("sem"))).json()
    assert {"coordination", "financial_supervision"} <= set(later["missing"])
    assert later["coordination"]["missing"] is True and later["financial_supervision"]["missing"] is True
    submitted = await client.post(f"{VIEWS}/canton/programmes/{BL_KIP3}/annual-report/2026/submit", headers=editor)
    assert submitted.status_code == 422
    sections = {c["section"] for c in submitted.json()["checks"] if c["code"] == "section_missing"}
    assert sections == {"coordination", "financial_supervision"}
    check = {"check_date": "2026-11-02", "subject": "Jahresrechnung ald", "kind": "desk_review", "result": "ohne"}
    supervision = await client.post(
        f"{TEXTS}/2026/financial-supervision", json={"text": "Risikoorientiert.", "checks": [check]}, headers=editor
    )
    assert supervision.status_code == 201, supervision.text
    later = (await client.get(REPORT.replace("2025", "2026"), headers=token("sem"))).json()
    assert later["financial_supervision"]["checks"][0]["subject"] == "Jahresrechnung ald"
    assert "financial_supervision" not in later["missing"]
