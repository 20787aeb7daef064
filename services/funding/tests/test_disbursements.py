"""Disbursements: four eyes, the agreement's yearly amount, and idempotent creation under concurrency."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest

from kit.ids import seed_uuid

pytestmark = pytest.mark.asyncio
Api = Any
INFO = "information_needs_assessment_counselling"
PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))


async def test_requester_approver_and_payer_are_three_people(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], editor2: dict[str, str], payer: dict[str, str]
) -> None:
    signed = await api.signed([(2024, INFO, "canton", "1000.00")])
    d = (await api.request(editor, signed["id"], "400.00")).json()
    assert (d["status"], d["requested_by"]) == ("requested", "bl-editor-anna")
    own = await client.post(f"/v1/disbursements/{d['id']}/approve", headers={**editor, "If-Match": '"1"'})
    assert (own.status_code, own.json()["type"]) == (403, "/problems/funding/four-eyes")
    other = await client.post(f"/v1/disbursements/{d['id']}/approve", headers={**editor2, "If-Match": '"1"'})
    assert (other.status_code, other.json()["status"], other.json()["decided_by"]) == (
        200,
        "approved",
        "bl-editor-beat",
    )
    for who in (editor2, editor):  # the approver, then the requester: neither may record the payment
        own_pay = await client.post(f"/v1/disbursements/{d['id']}/pay", headers={**who, "If-Match": '"2"'})
        assert (own_pay.status_code, own_pay.json()["type"]) == (403, "/problems/funding/separation-of-duties")
    assert (await client.get(f"/v1/disbursements/{d['id']}", headers=editor)).json()["status"] == "approved"
    paid = await client.post(f"/v1/disbursements/{d['id']}/pay", headers={**payer, "If-Match": '"2"'})
    assert (paid.status_code, paid.json()["status"], paid.json()["paid_by"]) == (200, "paid", "bl-editor-carla")
    twice = await client.post(f"/v1/disbursements/{d['id']}/pay", headers={**payer, "If-Match": '"3"'})
    assert (twice.status_code, twice.json()["type"]) == (409, "/problems/funding/invalid-transition")


async def test_a_partners_request_is_approved_by_the_canton_or_rejected(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], token: Any
) -> None:
    signed = await api.signed([(2024, INFO, "canton", "1000.00")])
    ald = token("partner", partner_id=str(seed_uuid("partner", "ald")))
    first = (await api.request(ald, signed["id"], "300.00")).json()
    second = (await api.request(ald, signed["id"], "300.00")).json()
    r = await client.post(f"/v1/disbursements/{first['id']}/approve", headers={**editor, "If-Match": '"1"'})
    assert r.status_code == 200
    r = await client.post(
        f"/v1/disbursements/{second['id']}/reject", headers={**editor, "If-Match": '"1"'}, json={"reason": "Kein Beleg"}
    )
    assert (r.json()["status"], r.json()["rejection_reason"]) == ("rejected", "Kein Beleg")
    statuses = (await client.get("/v1/disbursements", headers=ald, params={"agreement_id": signed["id"]})).json()
    assert sorted(d["status"] for d in statuses["items"]) == ["approved", "rejected"]


async def test_disbursements_never_exceed_the_agreements_amount_for_the_year(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    signed = await api.signed(
        [(2024, INFO, "canton", "1000.00"), (2024, INFO, "communes", "500.00"), (2025, INFO, "canton", "1000.00")]
    )
    assert (await api.request(editor, signed["id"], "1000.00")).status_code == 201
    assert (await api.request(editor, signed["id"], "200.00", source="communes")).status_code == 201
    r = await api.request(editor, signed["id"], "300.01", source="communes")
    assert r.status_code == 409
    assert (r.json()["type"], r.json()["headroom"], r.json()["amount_over"]) == (
        "/problems/funding/line-exceeded",
        "300.00",
        "0.01",
    )
    assert (await api.request(editor, signed["id"], "1000.00", year=2025)).status_code == 201
    no_line = await api.request(editor, signed["id"], "1.00", area_code="language")
    assert (no_line.status_code, no_line.json()["errors"][0]["loc"]) == (422, ["body", "funding_area_id"])
    no_year = await api.request(editor, signed["id"], "1.00", year=2026)
    assert (no_year.status_code, no_year.json()["errors"][0]["loc"]) == (422, ["body", "year"])
    draft = await api.agreement([(2024, INFO, "canton", "1000.00")])
    assert (await api.request(editor, draft["id"], "1.00")).status_code == 409


async def test_concurrent_requests_never_together_exceed_the_year(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    signed = await api.signed([(2024, INFO, "canton", "1000.00")])
    responses = await asyncio.gather(*(api.request(editor, signed["id"], "300.00") for _ in range(8)))
    assert sorted(r.status_code for r in responses) == [201] * 3 + [409] * 5
    listed = (await client.get("/v1/disbursements", headers=editor, params={"agreement_id": signed["id"]})).json()
    assert listed["total"] == 3


async def test_a_retry_with_the_same_key_answers_the_first_disbursement(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    signed = await api.signed([(2024, INFO, "canton", "1000.00")])
    first = await api.request(editor, signed["id"], "100.00", key="k-1")
    retry = await api.request(editor, signed["id"], "100.00", key="k-1")
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["id"] == first.json()["id"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    other = await api.request(editor, signed["id"], "200.00", key="k-1")
    assert (other.status_code, other.json()["type"]) == (422, "/problems/funding/idempotency-key-reused")
    assert other.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    no_key = await client.post(
        "/v1/disbursements",
        headers=editor,
        json={
            "agreement_id": signed["id"],
            "year": 2024,
            "source": "canton",
            "amount": "1.00",
            "value_date": "2024-01-01",
            "funding_area_id": str(seed_uuid("funding-area", f"KIP3/{INFO}")),
        },
    )
    assert no_key.status_code == 422
    assert ["header", "Idempotency-Key"] in [e["loc"] for e in no_key.json()["errors"]]
    listed = (await client.get("/v1/disbursements", headers=editor)).json()
    assert listed["total"] == 1


async def test_a_hundred_simultaneous_retries_make_exactly_one_disbursement(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    signed = await api.signed([(2024, INFO, "canton", "1000.00")])
    key = str(uuid.uuid4())
    responses = await asyncio.gather(*(api.request(editor, signed["id"], "250.00", key=key) for _ in range(100)))
    codes = [r.status_code for r in responses]
    assert sorted(set(codes)) == [200, 201], {r.text for r in responses if r.status_code not in (200, 201)}
    assert codes.count(201) == 1
    assert len({r.json()["id"] for r in responses}) == 1
    listed = (await client.get("/v1/disbursements", headers=editor, params={"agreement_id": signed["id"]})).json()
    assert listed["total"] == 1
    assert listed["items"][0]["amount"] == "250.00"


async def test_a_line_is_a_cap_money_does_not_move_between_sources(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], editor2: dict[str, str], token: Any
) -> None:
    """CHF 50,000 of canton money against a CHF 40,000 canton line is refused, though the year grants 100,000."""
    assert (await api.allocate()).status_code == 200
    signed = await api.signed(
        [(2024, INFO, "canton", "40000.00"), (2024, INFO, "federal_integration_credit", "60000.00")]
    )
    ald = token("partner", partner_id=str(seed_uuid("partner", "ald")))
    r = await api.request(ald, signed["id"], "50000.00")
    assert r.status_code == 409, r.text
    problem = r.json()
    assert (problem["type"], problem["headroom"], problem["amount_over"], problem["granted"]) == (
        "/problems/funding/line-exceeded",
        "40000.00",
        "10000.00",
        "40000.00",
    )
    assert problem["line"] == {
        "year": 2024,
        "funding_area_id": str(seed_uuid("funding-area", f"KIP3/{INFO}")),
        "source": "canton",
    }
    ok = await api.request(ald, signed["id"], "40000.00")
    assert ok.status_code == 201
    assert (await api.request(ald, signed["id"], "0.01")).status_code == 409
    approved = await client.post(f"/v1/disbursements/{ok.json()['id']}/approve", headers={**editor2, "If-Match": '"1"'})
    assert approved.status_code == 200
    listed = (await client.get("/v1/disbursements", headers=editor, params={"agreement_id": signed["id"]})).json()
    assert [d["amount"] for d in listed["items"]] == ["40000.00"]


async def test_a_partner_requests_without_sources_and_the_approval_allocates_to_lines(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], editor2: dict[str, str], token: Any
) -> None:
    assert (await api.allocate()).status_code == 200
    lang = str(seed_uuid("funding-area", "KIP3/language"))
    info = str(seed_uuid("funding-area", f"KIP3/{INFO}"))
    signed = await api.signed(
        [
            (2024, INFO, "canton", "300.00"),
            (2024, INFO, "federal_integration_credit", "600.00"),
            (2024, "language", "canton", "100.00"),
        ]
    )
    ald = token("partner", partner_id=str(seed_uuid("partner", "ald")))
    body = {"agreement_id": signed["id"], "year": 2024, "amount": "100.00", "value_date": "2024-03-31"}

    async def request(amount: str) -> dict[str, Any]:
        r = await client.post(
            "/v1/disbursements", json={**body, "amount": amount}, headers={**ald, "Idempotency-Key": str(uuid.uuid4())}
        )
        assert r.status_code == 201, r.text
        assert (r.json()["funding_area_id"], r.json()["source"], r.json()["lines"]) == (None, None, [])
        return dict(r.json())

    first = await request("100.00")
    approved = await client.post(f"/v1/disbursements/{first['id']}/approve", headers={**editor, "If-Match": '"1"'})
    assert approved.status_code == 200, approved.text
    # In proportion to what is left (300 : 600 : 100), to the Rappen.
    assert {(p["funding_area_id"], p["source"], p["amount"]) for p in approved.json()["lines"]} == {
        (info, "canton", "30.00"),
        (info, "federal_integration_credit", "60.00"),
        (lang, "canton", "10.00"),
    }
    odd = await request("0.10")
    approved = await client.post(f"/v1/disbursements/{odd['id']}/approve", headers={**editor, "If-Match": '"1"'})
    parts = {(p["funding_area_id"], p["source"]): p["amount"] for p in approved.json()["lines"]}
    assert sum(Decimal(a) for a in parts.values()) == Decimal("0.10")  # largest remainder: the parts add up
    # Editable in the approval body, but never past a line.
    third = await request("100.00")
    over = await client.post(
        f"/v1/disbursements/{third['id']}/approve",
        headers={**editor, "If-Match": '"1"'},
        json={"lines": [{"funding_area_id": lang, "source": "canton", "amount": "100.00"}]},
    )
    assert (over.status_code, over.json()["type"], over.json()["headroom"]) == (
        409,
        "/problems/funding/line-exceeded",
        "89.99" if parts.get((lang, "canton")) == "0.01" else "90.00",
    )
    wrong_sum = await client.post(
        f"/v1/disbursements/{third['id']}/approve",
        headers={**editor, "If-Match": '"1"'},
        json={"lines": [{"funding_area_id": lang, "source": "canton", "amount": "50.00"}]},
    )
    assert (wrong_sum.status_code, wrong_sum.json()["errors"][0]["loc"]) == (422, ["body", "lines"])
    chosen = await client.post(
        f"/v1/disbursements/{third['id']}/approve",
        headers={**editor2, "If-Match": '"1"'},
        json={
            "lines": [
                {"funding_area_id": info, "source": "canton", "amount": "70.00"},
                {"funding_area_id": lang, "source": "canton", "amount": "30.00"},
            ]
        },
    )
    assert chosen.status_code == 200, chosen.text
    report = (
        await client.get(f"/v1/programmes/{PROGRAMME}/financial-report", headers=editor, params={"year": 2024})
    ).json()
    committed = {s["source"]: s["committed"] for s in report["by_source"]}
    assert committed == {"federal_integration_credit": "600.00", "canton": "400.00"}
