"""A whole programme year walked through the gateway, by the people who do it, over real HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx

from kit.ids import seed_uuid
from support.platform import Platform

PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))
ALD = seed_uuid("partner", "ald")
INFORMATION = str(seed_uuid("funding-area", "KIP3/information_needs_assessment_counselling"))
COUNSELLING_CLIENTS = str(seed_uuid("indicator", "BL-KIP3/BL-1.02-a"))
YEAR = 2026


def walk(node: object) -> Iterator[dict[str, Any]]:
    """Every JSON object inside a document."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def test_a_year_from_measure_to_the_report_sem_reads(platform: Platform) -> None:
    gateway = httpx.Client(base_url=platform.url("gateway"), timeout=30)
    editor = platform.headers("canton-editor", canton="BL", subject="editor-1@bl.ch")
    second = platform.headers("canton-editor", canton="BL", subject="editor-2@bl.ch")
    payer = platform.headers("canton-editor", canton="BL", subject="finance-3@bl.ch")
    partner = platform.headers("partner", partner_id=ALD, subject="finance@ald")
    sem = platform.headers("sem", subject="kip@sem.admin.ch")

    # The canton adds a measure delivered by ald.
    measure = gateway.post(
        "/api/programme/v1/measures",
        headers=editor,
        json={
            "programme_id": PROGRAMME,
            "funding_area_id": INFORMATION,
            "code": "BL-1.90",
            "title": "Beratung am Abend",
            "partner_id": str(ALD),
            "target_groups": ["third_countries"],
            "start_date": f"{YEAR}-01-01",
            "end_date": f"{YEAR}-12-31",
        },
    )
    assert measure.status_code == 201, measure.text
    measure_id = measure.json()["id"]

    # It signs an agreement with ald for the measure, within the Landrat's credit.
    agreement = gateway.post(
        "/api/funding/v1/agreements",
        headers=editor,
        json={
            "programme_id": PROGRAMME,
            "partner_id": str(ALD),
            "title": "Abendberatung 2026",
            "start_date": f"{YEAR}-01-01",
            "end_date": f"{YEAR}-12-31",
            "measure_ids": [measure_id],
            "lines": [{"year": YEAR, "funding_area_id": INFORMATION, "source": "canton", "amount": "12000.00"}],
        },
    )
    assert agreement.status_code == 201, agreement.text
    agreement_id = agreement.json()["id"]
    signed = gateway.post(
        f"/api/funding/v1/agreements/{agreement_id}/sign", headers=editor | {"If-Match": agreement.headers["etag"]}
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["status"] == "signed"

    # The partner sees it in its own view, and nothing of any other partner.
    view = gateway.get("/api/v1/views/partners/me", headers=partner)
    assert view.status_code == 200, view.text
    agreements = view.json()["agreements"]
    assert agreement_id in {a["id"] for a in agreements}
    assert {a["partner_id"] for a in agreements} == {str(ALD)}

    # It requests a disbursement; a retry with the same key makes no second one.
    request_body = {
        "agreement_id": agreement_id,
        "year": YEAR,
        "funding_area_id": INFORMATION,
        "source": "canton",
        "amount": "4000.00",
        "value_date": f"{YEAR}-03-31",
    }
    key = {"Idempotency-Key": str(uuid.uuid4())}
    requested = gateway.post("/api/funding/v1/disbursements", headers=partner | key, json=request_body)
    assert requested.status_code == 201, requested.text
    retried = gateway.post("/api/funding/v1/disbursements", headers=partner | key, json=request_body)
    assert retried.json()["id"] == requested.json()["id"]
    disbursement = requested.json()

    # Four eyes: a second canton user approves it.
    approved = gateway.post(
        f"/api/funding/v1/disbursements/{disbursement['id']}/approve",
        headers=second | {"If-Match": requested.headers["etag"]},
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"

    # Separation of duties: neither the approver nor the requester records the payment; a third person does.
    own = gateway.post(
        f"/api/funding/v1/disbursements/{disbursement['id']}/pay",
        headers=second | {"If-Match": approved.headers["etag"]},
    )
    assert (own.status_code, own.json()["type"]) == (403, "/problems/funding/separation-of-duties")
    paid = gateway.post(
        f"/api/funding/v1/disbursements/{disbursement['id']}/pay",
        headers=payer | {"If-Match": approved.headers["etag"]},
    )
    assert (paid.status_code, paid.json()["paid_by"]) == (200, "finance-3@bl.ch"), paid.text

    # The partner enters its indicator value; the canton confirms it.
    value = gateway.post(
        f"/api/evaluation/v1/indicators/{COUNSELLING_CLIENTS}/values",
        headers=partner,
        json={"year": YEAR, "value": "1700", "source": "ald client statistics"},
    )
    assert value.status_code == 201, value.text
    confirmed = gateway.post(
        f"/api/evaluation/v1/indicator-values/{value.json()['id']}/confirm",
        headers=editor | {"If-Match": value.headers["etag"]},
    )
    assert confirmed.status_code == 200, confirmed.text

    # The canton submits the year's report; SEM reads what was submitted.
    submitted = gateway.post(f"/api/v1/views/canton/programmes/{PROGRAMME}/annual-report/{YEAR}/submit", headers=editor)
    assert submitted.status_code in (200, 201), submitted.text
    report = gateway.get(f"/api/v1/views/sem/programmes/{PROGRAMME}/annual-report/{YEAR}/submitted", headers=sem)
    assert report.status_code == 200, report.text
    figures = [d for d in walk(report.json()) if d.get("indicator_id") == COUNSELLING_CLIENTS and "value" in d]
    assert [Decimal(str(d["value"])) for d in figures] == [Decimal("1700")], "the confirmed value was submitted"
    committed = [
        Decimal(str(d["committed"]))
        for d in walk(report.json())
        if d.get("funding_area_id") == INFORMATION and d.get("source") == "canton" and "committed" in d
    ]
    assert committed and committed[0] >= Decimal("12000.00"), "the signed agreement is committed in the finances"
