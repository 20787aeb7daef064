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
#: The other programme indicators with a target for the year, and the values the canton enters and confirms.
OTHER_VALUES = {"BL-1.01-a": "1210", "BL-2.01-a": "1090", "BL-2.01-b": "850", "BL-4.01-a": "61"}
ACKNOWLEDGED = {"acknowledged_warnings": ["illustrative_figures", "national_value_missing"]}


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

    # Before submitting, the canton completes the year: the other values, the texts SEM asks for.
    complete_the_year(gateway, editor)

    # The canton submits the year's report; SEM reads what was submitted.
    submit = f"/api/v1/views/canton/programmes/{PROGRAMME}/annual-report/{YEAR}/submit"
    submitted = gateway.post(submit, headers=editor, json=ACKNOWLEDGED)
    assert submitted.status_code in (200, 201), submitted.text
    report = gateway.get(f"/api/v1/views/sem/programmes/{PROGRAMME}/annual-report/{YEAR}/submitted", headers=sem)
    assert report.status_code == 200, report.text
    figures = [d for d in walk(report.json()) if d.get("indicator_id") == COUNSELLING_CLIENTS and "value" in d]
    assert {Decimal(str(d["value"])) for d in figures} == {Decimal("1700")}, "the confirmed value was submitted"
    committed = [
        Decimal(str(d["committed"]))
        for d in walk(report.json())
        if d.get("funding_area_id") == INFORMATION and d.get("source") == "canton" and "committed" in d
    ]
    assert committed and committed[0] >= Decimal("12000.00"), "the signed agreement is committed in the finances"

    # SEM returns the report, the canton corrects a value and resubmits, SEM accepts the second version.
    sem_returns_the_report_and_accepts_the_corrected_version(gateway, editor, sem)


def complete_the_year(gateway: httpx.Client, editor: dict[str, str]) -> None:
    """Every programme indicator's value of the year confirmed, and the coordination and supervision texts."""
    for code, amount in OTHER_VALUES.items():
        indicator = seed_uuid("indicator", f"BL-KIP3/{code}")
        value = gateway.post(
            f"/api/evaluation/v1/indicators/{indicator}/values", headers=editor, json={"year": YEAR, "value": amount}
        )
        assert value.status_code == 201, value.text
        confirmed = gateway.post(
            f"/api/evaluation/v1/indicator-values/{value.json()['id']}/confirm",
            headers=editor | {"If-Match": value.headers["etag"]},
        )
        assert confirmed.status_code == 200, confirmed.text
    texts = f"/api/evaluation/v1/programmes/{PROGRAMME}/report-texts/{YEAR}"
    coordination = {"text": "Steuerungsgremium mit Gemeinden; Forum mit dem KSA.", "regular_structures": ["KSA"]}
    assert gateway.post(f"{texts}/coordination", headers=editor, json=coordination).status_code == 201
    check = {"check_date": f"{YEAR}-11-30", "subject": "Jahresrechnung ald", "kind": "desk_review", "result": "ok"}
    supervision = {"text": "Risikoorientierte Aufsicht.", "checks": [check]}
    assert gateway.post(f"{texts}/financial-supervision", headers=editor, json=supervision).status_code == 201


def sem_returns_the_report_and_accepts_the_corrected_version(
    gateway: httpx.Client, editor: dict[str, str], sem: dict[str, str]
) -> None:
    """After the year's walk: SEM returns the submitted report with a comment, the canton corrects one value and
    resubmits, SEM accepts version 2, and the diff between the versions is exactly that correction."""
    views = f"/api/v1/views/sem/programmes/{PROGRAMME}/annual-report/{YEAR}"
    assert gateway.get(f"{views}/state", headers=sem).json()["status"] == "submitted"

    for decision in ({"decision": "received"}, {"decision": "returned", "comment": "BL-4.01-a: 61 oder 16?"}):
        answer = gateway.post(f"{views}/decisions", headers=sem, json=decision)
        assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "returned"
    due = gateway.get("/api/evaluation/v1/due", headers=editor, params={"within_days": 0}).json()["items"]
    assert [(i["year"], i["status"]) for i in due if i["kind"] == "annual_report" and i["year"] == YEAR] == [
        (YEAR, "returned")
    ]

    # The canton corrects the one value (a corrected value is confirmed again) and resubmits.
    indicator = seed_uuid("indicator", "BL-KIP3/BL-4.01-a")
    values = gateway.get(f"/api/evaluation/v1/indicators/{indicator}/values", headers=editor, params={"year": YEAR})
    (value,) = [v for v in values.json() if v["year"] == YEAR and not v.get("dimension")]
    read = gateway.get(f"/api/evaluation/v1/indicator-values/{value['id']}", headers=editor)
    corrected = gateway.patch(
        f"/api/evaluation/v1/indicator-values/{value['id']}",
        headers=editor | {"If-Match": read.headers["etag"]},
        json={"value": "16"},
    )
    assert corrected.status_code == 200, corrected.text
    if corrected.json()["status"] != "confirmed":
        confirmed = gateway.post(
            f"/api/evaluation/v1/indicator-values/{value['id']}/confirm",
            headers=editor | {"If-Match": corrected.headers["etag"]},
        )
        assert confirmed.status_code == 200, confirmed.text
    submit = f"/api/v1/views/canton/programmes/{PROGRAMME}/annual-report/{YEAR}/submit"
    again = gateway.post(submit, headers=editor, json=ACKNOWLEDGED)
    assert again.status_code == 201 and again.json()["number"] == 2, again.text
    assert again.headers["location"].endswith(f"/annual-report/{YEAR}/submitted?version=2")

    for step in ("received", "accepted"):
        answer = gateway.post(f"{views}/decisions", headers=sem, json={"decision": step})
        assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "accepted" and answer.json()["latest_version"] == 2

    diff = gateway.get(f"{views}/diff", headers=sem, params={"from": 1, "to": 2}).json()
    ops = {op["path"]: op for op in diff["operations"]}
    version_1 = gateway.get(f"{views}/submitted", headers=sem, params={"version": 1}).json()["report"]
    (g, i) = next(
        (g, i)
        for g, goal in enumerate(version_1["goals"])
        for i, line in enumerate(goal["indicators"])
        if line["indicator_id"] == str(indicator)
    )
    line = f"/goals/{g}/indicators/{i}"
    (k,) = [k for k, figure in enumerate(version_1["key_figures"]) if figure["indicator_id"] == str(indicator)]
    # Exactly the corrected value and what it decides (the indicator's figures to date and its goal's
    # achievement), besides the moment each version was read.
    assert set(ops) - {"/as_of", "/composed_at"} == {
        f"{line}/value",
        f"{line}/to_date/value",
        f"{line}/ratio",
        f"/goals/{g}/achievement",
        f"/key_figures/{k}/value",
    }
    assert {op["op"] for op in ops.values()} == {"replace"}
    assert ops[f"{line}/value"]["value"] == ops[f"/key_figures/{k}/value"]["value"] == "16"
    before = Decimal(version_1["goals"][g]["indicators"][i]["to_date"]["value"])
    assert Decimal(ops[f"{line}/to_date/value"]["value"]) == before - Decimal(61 - 16)
